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
  const row = store
    .prepare(
      `SELECT
         (SELECT count(*) FROM parts) AS parts,
         (SELECT count(*) FROM (SELECT conversation_key FROM parts GROUP BY conversation_key HAVING count(*) > 1)) AS split,
         (SELECT count(*) FROM threads WHERE part_id IS NOT NULL AND state = 'pending') AS threads,
         (SELECT count(*) FROM threads WHERE part_id IS NOT NULL AND state = 'pending' AND inline = 1) AS inline,
         (SELECT count(*) FROM parts WHERE hs_conversation_id IS NULL
            AND EXISTS (SELECT 1 FROM threads t WHERE t.part_id = parts.id AND t.state = 'pending')) AS creates`,
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
