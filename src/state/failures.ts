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
