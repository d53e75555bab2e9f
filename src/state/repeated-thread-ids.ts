import type { StateStore } from './store.js';

/** Rows of one conversation that name the same source `thread_id` with different content. */
export interface ConflictingRows {
  threadId: string;
  conversation: string;
  /** The places in the export (`pos.seq`) of those taken out, in export order. */
  seqs: number[];
}

export interface RepeatedThreadIds {
  /** Later copies of a message already read (same id, same content): not staged again. */
  copies: number;
  conflicts: ConflictingRows[];
}

interface Row {
  id: number;
  base_key: string;
  conversation_key: string;
  source_thread_id: string;
  seq: number;
  created_at: string;
  profile_json: string | null;
  row_json: string;
  planned: number;
}

/** What a message is, without where it was read (row_json starts with its file, row and line). */
function contentOf(r: Row): string {
  const body = JSON.parse(r.row_json) as unknown;
  return JSON.stringify([r.created_at, r.profile_json, Array.isArray(body) ? body.slice(3) : body]);
}

/**
 * Rows of this reading that repeat a `thread_id` of their conversation (a thread's base key is its conversation
 * and source id): a copy of the same message is dropped, so it is sent once; copies that differ are all taken
 * out, since which one is the message cannot be told. Only threads not yet planned are dropped: one planned
 * or sent in an earlier run keeps its place. Found by one grouping query at the end of staging, so memory
 * does not grow with the export.
 */
export function settleRepeatedThreadIds(store: StateStore, runId: number): RepeatedThreadIds {
  const rows = store
    .prepare(
      `SELECT t.id, t.base_key, t.conversation_key, t.source_thread_id, t.seq, t.created_at, t.profile_json,
              t.row_json, EXISTS (SELECT 1 FROM thread_parts tp WHERE tp.thread_id = t.id) OR t.state <> 'pending' AS planned
       FROM threads t
       WHERE t.seen_run = ? AND t.source_thread_id IS NOT NULL AND t.base_key IN (
         SELECT base_key FROM threads WHERE seen_run = ? AND source_thread_id IS NOT NULL
         GROUP BY base_key HAVING count(*) > 1)
       ORDER BY t.base_key, t.seq`,
    )
    .all(runId, runId) as Row[];
  const drop = store.prepare('DELETE FROM threads WHERE id = ?');
  const result: RepeatedThreadIds = { copies: 0, conflicts: [] };
  for (let start = 0; start < rows.length; ) {
    let end = start;
    while (end < rows.length && rows[end]?.base_key === rows[start]?.base_key) end += 1;
    const group = rows.slice(start, end);
    start = end;
    const first = group[0] as Row;
    const content = contentOf(first);
    if (group.every((r) => contentOf(r) === content)) {
      // The copy kept is one already planned (or sent) if any, else the first read.
      const kept = group.find((r) => r.planned) ?? first;
      for (const r of group) {
        if (r === kept || r.planned) continue;
        drop.run(r.id);
        result.copies += 1;
      }
      continue;
    }
    const dropped = group.filter((r) => !r.planned);
    for (const r of dropped) drop.run(r.id);
    if (dropped.length > 0) {
      result.conflicts.push({
        threadId: first.source_thread_id,
        conversation: first.conversation_key,
        seqs: dropped.map((r) => r.seq),
      });
    }
  }
  return result;
}

/**
 * Rows of these conversations staged without their cells: taking out conflicting rows may leave a conversation
 * without a customer, which planning rejects whole, with the cells of every row (see RawCellsKeeper).
 */
export function rowsWithoutCells(
  store: StateStore,
  runId: number,
  conversations: readonly string[],
): { id: number; seq: number }[] {
  const query = store.prepare(
    'SELECT id, seq FROM threads WHERE conversation_key = ? AND seen_run = ? AND raw_json IS NULL',
  );
  return conversations.flatMap((c) => query.all(c, runId) as { id: number; seq: number }[]);
}

/** Keeps a staged row's cells (values in its file's header order), as staging does for rows that may need them. */
export function keepCells(store: StateStore, threadId: number, values: readonly string[]): void {
  store.prepare('UPDATE threads SET raw_json = ? WHERE id = ?').run(JSON.stringify(values), threadId);
}
