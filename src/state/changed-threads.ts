import type { StateStore } from './store.js';

/** A thread this reading found with other text than the one planned or sent, for changed.csv. */
export interface ChangedThread {
  conversation: string;
  createdAt: string;
  role: string;
  /** done: in Help Scout as first read; pending or failed: planned with the first text, which it keeps. */
  state: string;
  hsConversationId: number | null;
  sentText: string;
  newText: string;
}

const ROW_TEXT = "coalesce(json_extract(t.row_json, '$[4]'), json_extract(t.row_json, '$.text'))";
const ROW_ROLE = `CASE WHEN json_type(t.row_json) = 'array' THEN json_extract(t.row_json, '$[3]')
                       ELSE json_extract(t.row_json, '$.role') END`;

/** How many threads the last staging found changed since they were imported (or planned). */
export function changedSinceImport(store: StateStore): number {
  return store.prepare('SELECT count(*) FROM changed_threads').pluck().get() as number;
}

export function changedThreads(store: StateStore): ChangedThread[] {
  return store
    .prepare(
      `SELECT t.conversation_key AS conversation, t.created_at AS createdAt, ${ROW_ROLE} AS role, t.state,
              (SELECT p.hs_conversation_id FROM thread_parts tp JOIN parts p ON p.id = tp.part_id
               WHERE tp.thread_id = t.id) AS hsConversationId,
              ${ROW_TEXT} AS sentText, c.text AS newText
       FROM changed_threads c JOIN threads t ON t.id = c.thread_id ORDER BY t.seq`,
    )
    .all() as ChangedThread[];
}
