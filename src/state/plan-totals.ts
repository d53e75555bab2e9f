import type { StateStore } from './store.js';

export interface PlanTotals {
  parts: number;
  splitConversations: number;
  threads: number;
  inline: number;
  appended: number;
  /** Writes still needed: one Create Conversation per part not yet created, one per appended thread. */
  writes: number;
}

export function planTotals(store: StateStore): PlanTotals {
  // Planned threads still pending: all planned ones (thread_parts alone) less the settled ones (a partial index).
  const row = store
    .prepare(
      `SELECT
         (SELECT count(*) FROM parts) AS parts,
         (SELECT count(*) FROM (SELECT conversation_key FROM parts GROUP BY conversation_key HAVING count(*) > 1)) AS split,
         planned.threads - settled.threads AS threads, planned.inline - settled.inline AS inline,
         (SELECT count(*) FROM parts WHERE hs_conversation_id IS NULL
            AND EXISTS (SELECT 1 FROM thread_parts tp JOIN threads t ON t.id = tp.thread_id
                        WHERE tp.part_id = parts.id AND t.state = 'pending')) AS creates
       FROM (SELECT count(*) AS threads, coalesce(sum(inline), 0) AS inline FROM thread_parts) AS planned,
            (SELECT count(*) AS threads, coalesce(sum(tp.inline), 0) AS inline
             FROM threads t JOIN thread_parts tp ON tp.thread_id = t.id WHERE t.state <> 'pending') AS settled`,
    )
    .get() as { parts: number; split: number; threads: number; inline: number; creates: number };
  const appended = row.threads - row.inline;
  return {
    parts: row.parts,
    splitConversations: row.split,
    threads: row.threads,
    inline: row.inline,
    appended,
    writes: row.creates + appended,
  };
}
