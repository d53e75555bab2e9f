import type { RejectedRow } from '../source/types.js';
import { rawCells } from '../util/cells.js';
import type { StateStore } from './store.js';

/** The header of each source file, as the last staging recorded it. */
export function sourceHeaders(store: StateStore): Record<string, string[]> {
  return JSON.parse(store.getMeta('source_headers') ?? '{}') as Record<string, string[]>;
}

/** A staged thread as the export had it: its cells under its file's header. */
export function rawRowOf(
  headers: readonly string[],
  rawJson: string,
): { raw: Record<string, string>; headers: string[] } {
  return { raw: rawCells(headers, JSON.parse(rawJson) as string[]), headers: [...headers] };
}

export function rejectInserter(store: StateStore): (reject: RejectedRow) => void {
  const insert = store.prepare(
    'INSERT INTO rejects (seq, file, row, line, field, reason, raw_json, headers_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (reject) => {
    insert.run(
      reject.pos.seq,
      reject.pos.file,
      reject.pos.row,
      reject.pos.line,
      reject.field,
      reject.reason,
      JSON.stringify(reject.raw),
      JSON.stringify(reject.headers),
    );
  };
}

export interface RejectLine {
  file: string;
  row: number;
  line: number;
  field: string;
  reason: string;
}

/** Every reject of the last staging and planning, in export order. */
export function listRejects(store: StateStore): RejectLine[] {
  return store
    .prepare('SELECT file, row, line, field, reason FROM rejects ORDER BY seq')
    .all() as RejectLine[];
}
