import type { StateStore } from './store.js';

/** What a staging decided to send again. */
export interface RetryCounts {
  /** Failed threads whose row changed since they failed. */
  changed: number;
  /** Failed threads sent again because `--retry-failed` asked for it (their row unchanged). */
  asked: number;
}

/**
 * The threads failed before this staging: afterwards, those it found pending again are the ones whose row
 * changed (the rerun writer took their new content and reset them).
 */
export function failedThreadIds(store: StateStore): number[] {
  return store.prepare("SELECT id FROM threads WHERE state = 'failed'").pluck().all() as number[];
}

/**
 * Makes failed threads sendable again, in the staging's transaction: those whose row changed (reset by the
 * rerun writer), and with `all` every failed thread of this reading. Nothing in the write log changes: the
 * refused writes stay finished, and sending again is a new intent.
 *
 * Where a thread goes depends on its part. In a part whose conversation exists, it stays and is appended to
 * that conversation (unless Help Scout has it already: then only its files are left). A part whose
 * conversation was never created (its create refused) holds nothing in Help Scout: it is dissolved, every
 * failed thread of it goes back to planning with the rows as they are now (a fixed customer gives a new
 * envelope), and the part's refused writes keep its id, which no new part takes (nextPartIdSql).
 */
export function retryFailed(
  store: StateStore,
  failedBefore: readonly number[],
  runId: number,
  all: boolean,
): RetryCounts {
  const stateOf = store.prepare('SELECT state FROM threads WHERE id = ?').pluck();
  const changed = failedBefore.filter((id) => stateOf.get(id) === 'pending');
  let asked: number[] = [];
  if (all) {
    asked = store
      .prepare("SELECT id FROM threads WHERE state = 'failed' AND seen_run = ?")
      .pluck()
      .all(runId) as number[];
  }
  const partOf = store.prepare(
    `SELECT tp.part_id AS partId, p.hs_conversation_id AS hs FROM thread_parts tp JOIN parts p ON p.id = tp.part_id
     WHERE tp.thread_id = ?`,
  );
  const pending = store.prepare("UPDATE threads SET state = 'pending', error = NULL WHERE id = ?");
  const toAppend = store.prepare(
    `UPDATE thread_parts SET inline = 0, attachments_later = 0 WHERE thread_id = ? AND NOT EXISTS (
       SELECT 1 FROM threads t WHERE t.id = thread_parts.thread_id AND t.hs_thread_id IS NOT NULL)
     AND NOT EXISTS (
       SELECT 1 FROM live_writes w, json_each(w.thread_ids) j
       WHERE w.part_id = thread_parts.part_id AND w.outcome = 'ok' AND j.value = thread_parts.thread_id
         AND w.kind IN ('create-conversation', 'create-thread'))`,
  );
  const dissolve = new Set<number>();
  for (const id of [...changed, ...asked]) {
    pending.run(id);
    const part = partOf.get(id) as { partId: number; hs: number | null } | undefined;
    if (part === undefined) continue;
    if (part.hs === null) dissolve.add(part.partId);
    else toAppend.run(id);
  }
  for (const partId of dissolve) dissolvePart(store, partId);
  return { changed: changed.length, asked: asked.length };
}

/** A part whose conversation was never created: its threads go back to planning, the part goes. */
function dissolvePart(store: StateStore, partId: number): void {
  const open = store
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM live_writes WHERE part_id = ? AND (outcome IS NULL OR outcome = 'in-doubt'))`,
    )
    .pluck()
    .get(partId);
  // A create still in doubt may yet turn out to have been carried out: the part stays to be read back.
  if (open === 1) return;
  store
    .prepare(
      `UPDATE threads SET state = 'pending', error = NULL
       WHERE id IN (SELECT thread_id FROM thread_parts WHERE part_id = ?) AND state = 'failed'`,
    )
    .run(partId);
  store.prepare('DELETE FROM thread_parts WHERE part_id = ?').run(partId);
  store.prepare('DELETE FROM parts WHERE id = ?').run(partId);
}

/**
 * The id of the next part: past every part there is and every part the write log names, so a new part never
 * takes the id (and so the refused writes) of a dissolved one.
 */
export const NEXT_PART_ID_SQL = `(SELECT max(coalesce((SELECT max(id) FROM parts), 0),
                                      coalesce((SELECT max(part_id) FROM writes), 0)) + 1)`;
