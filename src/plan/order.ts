/** The fields that decide a thread's place in its conversation. */
export interface Orderable {
  createdAt: string;
  threadId?: string | undefined;
  seq: number;
}

const NUMERIC = /^\d+$/;

/** Source message ids compare as numbers when both are numeric (so "9" < "10"), else as strings. */
function compareThreadIds(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  // Lengths first: equal ones compare as strings either way, and they are cheaper to tell than digits.
  if (a.length !== b.length && NUMERIC.test(a) && NUMERIC.test(b)) return a.length - b.length;
  return a < b ? -1 : 1;
}

/** Threads are ordered by `created_at`, then by `thread_id`, then by position in the export (product.md). */
export function compareThreads(a: Orderable, b: Orderable): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  const byId = compareThreadIds(a.threadId, b.threadId);
  if (byId !== 0) return byId;
  return a.seq - b.seq;
}
