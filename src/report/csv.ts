import { neutraliseCell } from '../util/cells.js';

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF (or leading/trailing space). */
export function csvField(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A line of a report a person may open in a spreadsheet: no cell runs as a formula (neutraliseCell). */
export function safeCsvLine(values: readonly unknown[]): string {
  return `${values.map((value) => csvField(neutraliseCell(value === undefined || value === null ? '' : String(value)))).join(',')}\r\n`;
}
