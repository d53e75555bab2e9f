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

/** Stores a reject; returns its id. */
export function rejectInserter(store: StateStore): (reject: RejectedRow) => number {
  const insert = store.prepare(
    'INSERT INTO rejects (seq, file, row, line, field, reason, raw_json, headers_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (reject) =>
    Number(
      insert.run(
        reject.pos.seq,
        reject.pos.file,
        reject.pos.row,
        reject.pos.line,
        reject.field,
        reject.reason,
        JSON.stringify(reject.raw),
        JSON.stringify(reject.headers),
      ).lastInsertRowid,
    );
}

/** A rejected row's cells, rewritten (a customer filled in from its conversation). */
export function rejectCellsUpdater(
  store: StateStore,
): (id: number, raw: Record<string, string>, headers: readonly string[]) => void {
  const update = store.prepare('UPDATE rejects SET raw_json = ?, headers_json = ? WHERE id = ?');
  return (id, raw, headers) => {
    update.run(JSON.stringify(raw), JSON.stringify(headers), id);
  };
}

/** What a conversation's staged rows say of it as a whole, with what orders them (every reading's rows). */
export interface ConversationProfileRow {
  createdAt: string;
  threadId: string | undefined;
  seq: number;
  profileJson: string;
}

export function conversationProfileRows(store: StateStore): (key: string) => ConversationProfileRow[] {
  const select = store.prepare(
    `SELECT created_at, source_thread_id, seq, profile_json FROM threads
     WHERE conversation_key = ? AND profile_json IS NOT NULL`,
  );
  return (key) =>
    (select.raw(true).all(key) as [string, string | null, number, string][]).map(
      ([createdAt, threadId, seq, profileJson]) => ({
        createdAt,
        threadId: threadId ?? undefined,
        seq,
        profileJson,
      }),
    );
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
