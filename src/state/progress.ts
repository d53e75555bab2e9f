import { changedSinceImport } from './changed-threads.js';
import type { StateStore } from './store.js';

export interface Progress {
  threads: { done: number; pending: number; failed: number; unplanned: number };
  parts: { created: number; pending: number };
  writes: { ok: number; failed: number; inDoubt: number; notCreated: number };
  rejects: number;
  /** Threads already planned or sent that the last reading found with other text (changed_threads). */
  changedSinceImport: number;
  /** Conversations planned with source.customerFallback as their customer (their rows named none). */
  customerFallback: number;
  conversations: { done: number; partial: number; pending: number; failed: number };
}

/**
 * What the state file says, overall: the basis of `status`, the summary and the exit code. Writes are the
 * creates that stand (rolled-back ones are history, as if never sent).
 */
export function readProgress(store: StateStore): Progress {
  const t = store
    .prepare(
      `SELECT
         sum(state = 'done') AS done,
         sum(state = 'pending' AND tp.part_id IS NOT NULL) AS pending,
         sum(state = 'failed') AS failed,
         sum(state = 'pending' AND tp.part_id IS NULL) AS unplanned
       FROM threads LEFT JOIN thread_parts tp ON tp.thread_id = threads.id`,
    )
    .get() as Record<string, number | null>;
  const p = store
    .prepare(
      'SELECT sum(hs_conversation_id IS NOT NULL) AS created, sum(hs_conversation_id IS NULL) AS pending FROM parts',
    )
    .get() as Record<string, number | null>;
  const w = store
    .prepare(
      `SELECT sum(outcome = 'ok') AS ok, sum(outcome = 'failed') AS failed,
              sum(outcome IS NULL OR outcome = 'in-doubt') AS inDoubt, sum(outcome = 'not-created') AS notCreated
       FROM live_writes WHERE kind IN ('create-conversation', 'create-thread', 'create-attachment')`,
    )
    .get() as Record<string, number | null>;
  const c = store
    .prepare(
      `SELECT
         sum(done > 0 AND pending = 0 AND failed = 0) AS done,
         sum(done > 0 AND (pending > 0 OR failed > 0)) AS partial,
         sum(done = 0 AND pending > 0) AS pending,
         sum(done = 0 AND pending = 0 AND failed > 0) AS failed
       FROM (SELECT conversation_key,
                    sum(state = 'done') AS done,
                    sum(state = 'pending' AND tp.part_id IS NOT NULL) AS pending,
                    sum(state = 'failed') AS failed
             FROM threads LEFT JOIN thread_parts tp ON tp.thread_id = threads.id GROUP BY conversation_key)`,
    )
    .get() as Record<string, number | null>;
  const rejects = (store.prepare('SELECT count(*) AS n FROM rejects').get() as { n: number }).n;
  const n = (v: number | null | undefined) => v ?? 0;
  return {
    threads: { done: n(t.done), pending: n(t.pending), failed: n(t.failed), unplanned: n(t.unplanned) },
    parts: { created: n(p.created), pending: n(p.pending) },
    writes: { ok: n(w.ok), failed: n(w.failed), inDoubt: n(w.inDoubt), notCreated: n(w.notCreated) },
    rejects,
    changedSinceImport: changedSinceImport(store),
    customerFallback: store
      .prepare(
        "SELECT count(DISTINCT conversation_key) FROM parts WHERE json_extract(envelope_json, '$.customerFallback')",
      )
      .pluck()
      .get() as number,
    conversations: { done: n(c.done), partial: n(c.partial), pending: n(c.pending), failed: n(c.failed) },
  };
}

export interface ConversationProgress {
  conversation: string;
  done: number;
  pending: number;
  failed: number;
  inDoubt: number;
}

/** Every planned conversation with threads pending or failed or writes in doubt, in export order. */
export function unfinishedConversations(store: StateStore): ConversationProgress[] {
  return store
    .prepare(
      `SELECT conversation_key AS conversation, sum(state = 'done') AS done, sum(state = 'pending') AS pending,
              sum(state = 'failed') AS failed,
              (SELECT count(*) FROM live_writes w JOIN parts p ON p.id = w.part_id
                WHERE p.conversation_key = threads.conversation_key AND (w.outcome IS NULL OR w.outcome = 'in-doubt')
                  AND w.kind <> 'delete-conversation') AS inDoubt
       FROM threads JOIN thread_parts tp ON tp.thread_id = threads.id GROUP BY conversation_key
       HAVING pending > 0 OR failed > 0 OR inDoubt > 0 ORDER BY min(seq)`,
    )
    .all() as ConversationProgress[];
}
