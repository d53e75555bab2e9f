import { API_LIMITS } from '../api/api-types.js';
import { estimateThreadBytes, mayExceedBytes } from '../api/request-size.js';
import { rawCells } from '../util/cells.js';
import type { BoundColumns } from './column-map.js';
import type { FieldProblem } from './customer.js';
import type { SourceItem, ThreadRow } from './types.js';

/** `field` of a reject about a whole file (one with no rows at all). */
export const WHOLE_FILE_FIELD = '(file)';

/** An empty file (or one of a BOM, or a header only) is surely not the export meant: a reject says so. */
export function noRows(file: string, bound: BoundColumns | undefined, seq: number): SourceItem {
  const headers = bound?.headers ?? [];
  return {
    kind: 'reject',
    reject: {
      pos: { file, row: 0, line: 1, seq },
      field: WHOLE_FILE_FIELD,
      reason: bound ? `${file} has no rows: only a header` : `${file} has no rows: the file is empty`,
      raw: rawCells(headers, []),
      headers,
    },
  };
}

/** A message no Help Scout request could carry: its files (or its text) exceed any request body. */
export function sizeProblem(whole: ThreadRow): FieldProblem | undefined {
  const limit = API_LIMITS.requestBytes;
  if (!mayExceedBytes(whole, limit)) return undefined;
  // Files named by URL go one a request after their thread, each within what a request carries.
  const row = whole.attachments.some((a) => a.url !== undefined)
    ? { ...whole, attachments: whole.attachments.filter((a) => a.url === undefined) }
    : whole;
  const bytes = estimateThreadBytes(row);
  if (bytes <= limit) return undefined;
  const textBytes = row.attachments.length === 0 ? bytes : estimateThreadBytes({ ...row, attachments: [] });
  if (textBytes > limit) {
    return {
      field: 'text',
      reason: `the message's text needs ${Math.ceil(textBytes / 1024)} KiB, more than the ${limit / 1024 / 1024} MiB a Help Scout request accepts`,
    };
  }
  return {
    field: 'attachments',
    reason: `the message with its attachments needs ${Math.ceil(bytes / 1024)} KiB, more than the ${limit / 1024 / 1024} MiB a Help Scout request accepts`,
  };
}
