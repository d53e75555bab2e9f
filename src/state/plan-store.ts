import type { PlanOptions } from '../plan/plan-conversation.js';
import { PartAssignments } from './part-assignments.js';
import { plansInParallel } from './plan-in-workers.js';
import {
  type ConversationOutcome,
  keyRanges,
  planRange,
  RANGE_ROWS,
  type RangeContext,
  type RangePlan,
} from './plan-range.js';
import { decodeRowBody, type RowColumns } from './row-body.js';
import { sourceFileNames } from './source-files.js';
import { rawRowOf, rejectInserter, sourceHeaders } from './staging.js';
import type { StateStore } from './store.js';

export interface PlanCounts {
  conversations: number;
  partsPlanned: number;
  threadsPlanned: number;
  conversationsRejected: number;
  rowsRejected: number;
  /** New threads older than what their conversation already has in Help Scout: sent after it. */
  threadsOlderThanSent: number;
  /** Key ranges the conversations were planned in, and how many of them a helper thread planned. */
  ranges: number;
  rangesByHelpers: number;
}

/**
 * Plans every thread of this run's export that is not yet in a part. Parts that nothing was ever sent for
 * are planned again from scratch (the export or the options may have changed); parts already started keep
 * their threads. One transaction: the plan is all there or not at all.
 *
 * The conversations are cut into key ranges (`rangeRows` threads or so each) and planned a range at a time.
 * With `helpers` > 0 and a state file in WAL mode, that many worker threads plan ranges too
 * (plan-in-workers.ts), on read-only connections, while this thread also writes what all of them decide.
 * Either way the plan is the same.
 */
export async function planPending(
  store: StateStore,
  runId: number,
  options: PlanOptions & { sample?: number | undefined },
  how: { helpers?: number; rangeRows?: number } = {},
): Promise<PlanCounts> {
  const { helpers = 0, rangeRows = RANGE_ROWS } = how;
  const db = store.db;
  const counts: PlanCounts = {
    conversations: 0,
    partsPlanned: 0,
    threadsPlanned: 0,
    conversationsRejected: 0,
    rowsRejected: 0,
    threadsOlderThanSent: 0,
    ranges: 0,
    rangesByHelpers: 0,
  };
  const apply = outcomeWriter(store, counts);
  const context: RangeContext = {
    runId,
    options,
    anyStarted: store.prepare('SELECT EXISTS (SELECT 1 FROM writes)').pluck().get() === 1,
    sample: options.sample ? sampleOf(store, runId, options.sample) : undefined,
  };
  const inWorkers = helpers > 0 && store.path !== ':memory:' && journalMode(store) === 'wal';
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`DELETE FROM parts WHERE id NOT IN (SELECT part_id FROM writes);
             DELETE FROM thread_parts WHERE part_id NOT IN (SELECT id FROM parts);`);
    const ranges = keyRanges(store, rangeRows);
    type Planned = { plan: RangePlan; byHelper: boolean };
    const plans: Iterable<Planned> | AsyncIterable<Planned> = inWorkers
      ? plansInParallel(store, ranges, context, helpers)
      : (function* () {
          for (const range of ranges) yield { plan: planRange(store, range, context), byHelper: false };
        })();
    for await (const { plan, byHelper } of plans) {
      counts.ranges += 1;
      if (byHelper) counts.rangesByHelpers += 1;
      counts.conversations += plan.conversations;
      for (const outcome of plan.outcomes) apply.outcome(outcome);
    }
    apply.assignments.write(store);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return counts;
}

function journalMode(store: StateStore): string {
  return store.prepare('PRAGMA journal_mode').pluck().get() as string;
}

/** Writes what planning decided for each conversation, in the transaction planPending holds. */
function outcomeWriter(store: StateStore, counts: PlanCounts) {
  const insertPart = store.prepare(
    'INSERT INTO parts (conversation_key, part_no, subject, envelope_json) VALUES (?, ?, ?, ?)',
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
  return { outcome, assignments };
}

/** `--sample N`: the first N conversations of the export, in the order they first appear. */
function sampleOf(store: StateStore, runId: number, sample: number): Set<string> {
  const keys = store
    .prepare(
      `SELECT conversation_key FROM threads WHERE seen_run = ?
       GROUP BY conversation_key ORDER BY min(seq) LIMIT ?`,
    )
    .pluck()
    .all(runId, sample) as string[];
  return new Set(keys);
}
