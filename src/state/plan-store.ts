import { PartAssignments } from './part-assignments.js';
import { type ConversationOutcome, type StartedParts, startedParts } from './plan-range.js';
import { rawRowOf, rejectInserter, sourceHeaders } from './rejects.js';
import { NEXT_PART_ID_SQL } from './retry-failed.js';
import { decodeRowBody, type RowColumns } from './row-body.js';
import { sourceFileNames } from './source-files.js';
import type { StateStore } from './store.js';

export interface PlanCounts {
  conversations: number;
  partsPlanned: number;
  threadsPlanned: number;
  conversationsRejected: number;
  rowsRejected: number;
  /** New threads older than what their conversation already has in Help Scout: sent after it. */
  threadsOlderThanSent: number;
}

/**
 * The planning transaction: parts that nothing was ever sent for are deleted (they are planned again from
 * scratch: the export or the options may have changed), `plan` decides and writes through the writer, and
 * the assignments are written at the end. All of it or nothing.
 */
export function inPlanningTransaction(
  store: StateStore,
  plan: (writer: OutcomeWriter, started: StartedParts) => void,
): PlanCounts {
  const counts: PlanCounts = {
    conversations: 0,
    partsPlanned: 0,
    threadsPlanned: 0,
    conversationsRejected: 0,
    rowsRejected: 0,
    threadsOlderThanSent: 0,
  };
  store.db.transaction(() => {
    // Rolled-back writes do not count: a rolled-back part is planned again like one never sent.
    store.db.exec(`DELETE FROM parts WHERE id NOT IN (SELECT part_id FROM live_writes);
                   DELETE FROM thread_parts WHERE part_id NOT IN (SELECT id FROM parts);`);
    const writer = outcomeWriter(store, counts);
    // Parts left now are started ones.
    const anyStarted = store.prepare('SELECT EXISTS (SELECT 1 FROM parts)').pluck().get() === 1;
    plan(writer, startedParts(store, anyStarted));
    writer.assignments.write(store);
  })();
  return counts;
}

export type OutcomeWriter = ReturnType<typeof outcomeWriter>;

/** Writes what planning decided for each conversation, in the transaction planPending holds. */
function outcomeWriter(store: StateStore, counts: PlanCounts) {
  const insertPart = store.prepare(
    `INSERT INTO parts (id, conversation_key, part_no, subject, envelope_json) VALUES (${NEXT_PART_ID_SQL}, ?, ?, ?, ?)`,
  );
  // Read once, and only when a conversation is rejected.
  let headers: Record<string, string[]> | undefined;
  const headersOf = (file: string): string[] => {
    headers ??= sourceHeaders(store);
    return headers[file] ?? [];
  };
  let files: string[] | undefined;
  const filesOf = (): string[] => {
    files ??= sourceFileNames(store);
    return files;
  };
  const bodyOf = store.prepare(
    'SELECT row_json, raw_json, conversation_key, created_at, source_thread_id, seq, profile_json FROM threads WHERE id = ?',
  );
  const insertReject = rejectInserter(store);
  const assignments = new PartAssignments(
    store.prepare('SELECT coalesce(max(id), 0) FROM threads').pluck().get() as number,
  );

  const outcome = (decided: ConversationOutcome): void => {
    if (decided.kind === 'rejected') {
      counts.conversationsRejected += 1;
      for (const id of decided.threadIds) {
        const body = bodyOf.get(id) as RowColumns & { row_json: string; raw_json: string | null };
        const row = decodeRowBody(body.row_json, body, filesOf());
        // Staging keeps the cells of every row of a conversation that names no customer (RawCellsKeeper).
        if (body.raw_json === null) throw new Error(`thread ${id}: its cells were not kept`);
        insertReject({
          pos: row.pos,
          field: decided.field,
          reason: decided.reason,
          ...rawRowOf(headersOf(row.pos.file), body.raw_json),
        });
        counts.rowsRejected += 1;
      }
      return;
    }
    counts.threadsOlderThanSent += decided.olderThanSent;
    if (decided.append) {
      const { partId, firstIndex, threadIds } = decided.append;
      threadIds.forEach((id, i) => {
        assignments.add(id, partId, firstIndex + i, false, false);
      });
      counts.threadsPlanned += threadIds.length;
    }
    for (const part of decided.parts) {
      const partId = Number(
        insertPart.run(decided.key, part.partNo, part.subject, part.envelopeJson).lastInsertRowid,
      );
      part.threadIds.forEach((id, index) => {
        assignments.add(id, partId, index, index < part.inline, index === 0 && part.deferFirstAttachments);
      });
      counts.partsPlanned += 1;
      counts.threadsPlanned += part.threadIds.length;
    }
  };
  const conversationsSeen = (n: number): void => {
    counts.conversations += n;
  };
  return { outcome, assignments, conversationsSeen };
}

/** `--sample N`: the first N conversations of the export, in the order they first appear. */
export function sampleOf(store: StateStore, runId: number, sample: number): Set<string> {
  const keys = store
    .prepare(
      `SELECT conversation_key FROM threads WHERE seen_run = ?
       GROUP BY conversation_key ORDER BY min(seq) LIMIT ?`,
    )
    .pluck()
    .all(runId, sample) as string[];
  return new Set(keys);
}
