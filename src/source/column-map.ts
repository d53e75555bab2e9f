import { CANONICAL_COLUMNS, type CanonicalColumn, type SourceConfig } from '../config/schema.js';
import { FatalError } from '../util/errors.js';
import type { Preset } from './presets.js';

export const REQUIRED_COLUMNS: readonly CanonicalColumn[] = ['conversation_id', 'created_at', 'text'];

export type ColumnMapping = Partial<Record<CanonicalColumn, string>>;

/** Where each canonical column (and each header a preset derives from) sits in one file's records. */
export interface BoundColumns {
  headers: string[];
  canonical: [CanonicalColumn, number][];
  extra: Map<string, number>;
  has(column: CanonicalColumn): boolean;
  /** The file is an hs-import rejects.csv fed back: its cells were neutralised against formulas. */
  isReport: boolean;
}

/** The preset's mapping (or the default header names), with the config's explicit entries on top. */
export function resolveMapping(columns: SourceConfig['columns'], preset: Preset | undefined): ColumnMapping {
  const mapping: ColumnMapping = {};
  if (preset) Object.assign(mapping, preset.columns);
  else for (const column of CANONICAL_COLUMNS) mapping[column] = column;
  for (const [column, header] of Object.entries(columns) as [CanonicalColumn, string | undefined][]) {
    if (header !== undefined) mapping[column] = header;
  }
  return mapping;
}

function findHeader(headers: string[], wanted: string): number {
  const exact = headers.indexOf(wanted);
  if (exact !== -1) return exact;
  // Tolerate stray spaces and case ("Customer Email" for "customer email"), but only when unambiguous.
  const key = wanted.trim().toLowerCase();
  const matches = headers.flatMap((header, index) => (header.trim().toLowerCase() === key ? [index] : []));
  return matches.length === 1 ? (matches[0] as number) : -1;
}

/** Characters a header line of a CSV never holds: NUL, other C0 controls but tab, and undecodable bytes. */
function isNotText(header: string): boolean {
  for (let i = 0; i < header.length; i++) {
    const code = header.charCodeAt(i);
    if (code < 0x09 || (code > 0x0d && code < 0x20) || code === 0xfffd) return true;
  }
  return false;
}
const OTHER_DELIMITERS = [';', '\t', '|'];

/**
 * A header that shows the file is not what the config says: binary data, another delimiter (the whole
 * line read as one column), or a column named twice (its cells could not be told apart, nor written back).
 */
export function checkHeader(headers: readonly string[], file: string, delimiter: string): void {
  if (headers.some(isNotText)) {
    throw new FatalError(
      'SOURCE_NOT_CSV',
      `${file}: this is not a CSV file (its first line holds binary data or bytes that are not text)`,
      { file },
    );
  }
  const only = headers.length === 1 ? (headers[0] as string) : undefined;
  const other =
    only === undefined ? undefined : OTHER_DELIMITERS.find((d) => d !== delimiter && only.includes(d));
  if (other !== undefined) {
    const shown = other === '\t' ? '\\t' : other;
    throw new FatalError(
      'SOURCE_WRONG_DELIMITER',
      `${file}: the header is a single column that contains "${shown}": the file seems separated by "${shown}", not "${delimiter}". Set source.delimiter to "${shown}".`,
      { file, delimiter },
    );
  }
  const firstAt = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = header.trim();
    // Unnamed columns (trailing delimiters) are never mapped: several of them are harmless.
    if (key === '') return;
    const first = firstAt.get(key);
    if (first === undefined) {
      firstAt.set(key, index);
      return;
    }
    throw new FatalError(
      'SOURCE_DUPLICATE_COLUMN',
      `${file}: the header names "${key}" twice, in columns ${first + 1} and ${index + 1}: rename or remove one.`,
      { file, header: key, columns: [first + 1, index + 1] },
    );
  });
}

export function bindHeader(
  headers: string[],
  mapping: ColumnMapping,
  explicit: SourceConfig['columns'],
  extraColumns: readonly string[],
  file: string,
): BoundColumns {
  const canonical: [CanonicalColumn, number][] = [];
  const missing: string[] = [];
  for (const [column, header] of Object.entries(mapping) as [CanonicalColumn, string][]) {
    const index = findHeader(headers, header);
    if (index !== -1) canonical.push([column, index]);
    // A missing optional column is fine, unless the config named it: then it is surely a typo.
    else if (REQUIRED_COLUMNS.includes(column) || explicit[column] !== undefined)
      missing.push(`${column} ("${header}")`);
  }
  const extra = new Map<string, number>();
  for (const header of extraColumns) {
    const index = findHeader(headers, header);
    if (index === -1) missing.push(`"${header}"`);
    else extra.set(header, index);
  }
  if (missing.length > 0) {
    throw new FatalError(
      'SOURCE_MISSING_COLUMN',
      `${file}: the header has no column for ${missing.join(', ')}; its columns are: ${headers.join(', ')}. ` +
        'Map them with source.columns or pick the right source.preset.',
      { file, missing, headers },
    );
  }
  const present = new Set(canonical.map(([column]) => column));
  return {
    headers,
    canonical,
    extra,
    has: (column) => present.has(column),
    isReport: isRejectsReport(headers),
  };
}

/** A header with these columns is an hs-import rejects.csv fed back as a source. */
export function isRejectsReport(headers: readonly string[]): boolean {
  return headers.includes('reject_reason') && headers.includes('reject_field');
}
