import { fieldPathsIn, inlineThreadOf } from '../api/field-errors.js';
import type { StagedRow } from '../source/types.js';
import { decodeRowBody, type RowColumns } from './row-body.js';
import { sourceFileNames } from './source-files.js';
import type { StateStore } from './store.js';

export interface FailureCount {
  reason: string;
  threads: number;
}

/** Failed threads grouped by the error Help Scout gave, the most frequent first. */
export function failuresByReason(store: StateStore, limit = 5): FailureCount[] {
  return store
    .prepare(
      `SELECT coalesce(error, '(no reason recorded)') AS reason, count(*) AS threads FROM threads
       WHERE state = 'failed' GROUP BY reason ORDER BY threads DESC, reason LIMIT ?`,
    )
    .all(limit) as FailureCount[];
}

/** One failed thread, for failures.csv: the row as staged and what Help Scout answered. */
export interface FailedThread {
  row: StagedRow;
  /** The Help Scout conversation its part went to; null when it was never created. */
  hsConversationId: number | null;
  /** The status of the write that failed it; null when no answer failed it (a read did not find it). */
  status: number | null;
  /** The fields Help Scout named for this thread (relative to the thread), or for its conversation. */
  fields: string[];
  reason: string;
}

/** Every failed thread, in export order, with the last write that failed it (its part's, by thread id). */
export function failedThreads(store: StateStore): FailedThread[] {
  const rows = store
    .prepare(
      `SELECT t.id, t.row_json, t.conversation_key, t.created_at, t.source_thread_id, t.seq, t.profile_json,
              t.error, p.hs_conversation_id AS hs, w.kind, w.thread_ids, w.http_status AS status, w.error AS writeError
       FROM threads t
       LEFT JOIN thread_parts tp ON tp.thread_id = t.id
       LEFT JOIN parts p ON p.id = tp.part_id
       LEFT JOIN writes w ON w.id = (
         SELECT lw.id FROM live_writes lw WHERE lw.part_id = tp.part_id AND lw.outcome IN ('failed', 'not-found')
           AND EXISTS (SELECT 1 FROM json_each(lw.thread_ids) j WHERE j.value = t.id)
         ORDER BY lw.id DESC LIMIT 1)
       WHERE t.state = 'failed' ORDER BY t.seq`,
    )
    .all() as (RowColumns & {
    id: number;
    row_json: string;
    error: string | null;
    hs: number | null;
    kind: string | null;
    thread_ids: string | null;
    status: number | null;
    writeError: string | null;
  })[];
  const files = sourceFileNames(store);
  return rows.map((r) => {
    const index = r.thread_ids === null ? -1 : (JSON.parse(r.thread_ids) as number[]).indexOf(r.id);
    return {
      row: decodeRowBody(r.row_json, r, files),
      hsConversationId: r.hs,
      status: r.status,
      fields: fieldsOfThread(r.writeError ?? '', r.kind === 'create-conversation' ? index : undefined),
      reason: r.error ?? '(no reason recorded)',
    };
  });
}

/**
 * The fields a refusal named that concern one thread: for a Create Conversation (`index`: the thread's place
 * in it), its own (`threads[i].text` → `text`) and the conversation's; for an append, all.
 */
function fieldsOfThread(message: string, index: number | undefined): string[] {
  const paths = fieldPathsIn(message);
  if (index === undefined) return paths;
  return paths.flatMap((path) => {
    const inline = inlineThreadOf(path);
    if (inline === undefined) return [path];
    return inline.index === index ? [inline.field || path] : [];
  });
}
