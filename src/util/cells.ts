/**
 * Cells under their header, as a reject reports them: a missing cell is empty, an extra one gets a name of
 * its own.
 */
export function rawCells(headers: readonly string[], fields: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < headers.length; i++) raw[headers[i] as string] = fields[i] ?? '';
  for (let i = headers.length; i < fields.length; i++) raw[`(field ${i + 1})`] = fields[i] as string;
  return raw;
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a formula: a report cell
 * that could is written with a `'` before it. Cells that already start with `'`s before such a character get
 * one more, so restoreCell undoes exactly what neutraliseCell did.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The cell as it was before neutraliseCell: for a report read back as a source. */
export function restoreCell(text: string): string {
  return text.charCodeAt(0) === 39 && FORMULA_START.test(text) ? text.slice(1) : text;
}
