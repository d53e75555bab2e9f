import {
  type PlanOptions,
  type PlanThread,
  planConversation,
  type StartedPart,
} from '../plan/plan-conversation.js';
import type { ProfileSource } from '../plan/profile.js';
import { PartAssignments } from './part-assignments.js';
import { decodeRowBody, type RowColumns } from './row-body.js';
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
}

/** A conversation of this run as planning reads it. */
export interface RunConversation {
  key: string;
  threads: PlanThread[];
  /** Per thread: pending and in no part yet, so this planning places it. */
  unsent: boolean[];
}

// Few columns, and a flag rather than the part and state; read as arrays (raw mode): turning rows into
// objects is most of the scan.
const SCAN_COLUMNS = `conversation_key, id, seq, created_at, source_thread_id, bytes, profile_json,
   state = 'pending' AND NOT EXISTS (SELECT 1 FROM thread_parts tp WHERE tp.thread_id = threads.id) AS unsent`;
type ScanRow = [string, number, number, string, string | null, number, string | null, number];

/** Rows fetched at a time when walking the run's conversations in key order. */
const SCAN_ROWS = 8192;

/**
 * This run's threads, one conversation at a time, in conversation key order: a few thousand rows per query
 * rather than a query per conversation. Rows written meanwhile (parts) are not re-read: every chunk
 * starts at a conversation not yet yielded.
 */
export function* conversationsOfRun(
  store: StateStore,
  runId: number,
  chunkRows = SCAN_ROWS,
): Generator<RunConversation> {
  const chunkFrom = store
    .prepare(
      `SELECT ${SCAN_COLUMNS} FROM threads
       WHERE conversation_key >= ? AND seen_run = ? ORDER BY conversation_key LIMIT ?`,
    )
    .raw(true);
  const whole = store
    .prepare(`SELECT ${SCAN_COLUMNS} FROM threads WHERE conversation_key = ? AND seen_run = ?`)
    .raw(true);
  const after = store
    .prepare('SELECT min(conversation_key) FROM threads WHERE conversation_key > ? AND seen_run = ?')
    .pluck();
  let from: string | null = '';
  while (from !== null) {
    const rows = chunkFrom.all(from, runId, chunkRows) as ScanRow[];
    if (rows.length === 0) return;
    const full = rows.length === chunkRows;
    const lastKey = (rows[rows.length - 1] as ScanRow)[0];
    if (full && lastKey === (rows[0] as ScanRow)[0]) {
      // One conversation larger than a chunk: read it whole.
      yield conversationOf(lastKey, whole.all(lastKey, runId) as ScanRow[]);
      from = after.get(lastKey, runId) as string | null;
      continue;
    }
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      const key = (rows[start] as ScanRow)[0];
      if (i < rows.length && (rows[i] as ScanRow)[0] === key) continue;
      // The last conversation of a full chunk may go on past it: it starts the next chunk.
      if (full && i === rows.length) break;
      yield conversationOf(key, rows.slice(start, i));
      start = i;
    }
    from = full ? lastKey : null;
  }
}

const NO_PROFILE: ProfileSource = { customer: {}, tags: [] };

/** The planner's view of a conversation's rows. Rows repeating a profile share it, parsed once. */
function conversationOf(key: string, rows: readonly ScanRow[]): RunConversation {
  const parsed = new Map<string, ProfileSource>();
  const threads: PlanThread[] = [];
  const unsent: boolean[] = [];
  for (const [, id, seq, createdAt, threadId, bytes, profileJson, isUnsent] of rows) {
    let profile = NO_PROFILE;
    if (profileJson !== null) {
      profile = parsed.get(profileJson) ?? (JSON.parse(profileJson) as ProfileSource);
      parsed.set(profileJson, profile);
    }
    threads.push({
      id,
      seq,
      createdAt,
      threadId: threadId ?? undefined,
      bytes,
      subject: profile.subject,
      customer: profile.customer,
      tags: profile.tags,
      status: profile.status,
    });
    unsent.push(isUnsent === 1);
  }
  return { key, threads, unsent };
}

/**
 * Plans every thread of this run's export that is not yet in a part. Parts that nothing was ever sent for
 * are planned again from scratch (the export or the options may have changed); parts already started keep
 * their threads. One transaction: the plan is all there or not at all.
 */
export function planPending(
  store: StateStore,
  runId: number,
  options: PlanOptions & { sample?: number | undefined },
): PlanCounts {
  const db = store.db;
  const counts: PlanCounts = {
    conversations: 0,
    partsPlanned: 0,
    threadsPlanned: 0,
    conversationsRejected: 0,
    rowsRejected: 0,
    threadsOlderThanSent: 0,
  };
  const lastStartedOf = store.prepare(
    `SELECT p.id, p.part_no AS partNo, (SELECT count(*) FROM thread_parts tp WHERE tp.part_id = p.id) AS threadCount,
            (SELECT max(t.created_at) FROM parts q JOIN thread_parts tp ON tp.part_id = q.id
               JOIN threads t ON t.id = tp.thread_id
              WHERE q.conversation_key = p.conversation_key) AS lastCreatedAt
     FROM parts p WHERE p.conversation_key = ? ORDER BY p.part_no DESC LIMIT 1`,
  );
  const insertPart = store.prepare(
    'INSERT INTO parts (conversation_key, part_no, subject, envelope_json) VALUES (?, ?, ?, ?)',
  );
  // Read once, and only when a conversation is rejected.
  let headers: Record<string, string[]> | undefined;
  const headersOf = (file: string): string[] => {
    headers ??= sourceHeaders(store);
    return headers[file] ?? [];
  };
  const bodyOf = store.prepare(
    'SELECT row_json, raw_json, conversation_key, created_at, source_thread_id, seq FROM threads WHERE id = ?',
  );
  const insertReject = rejectInserter(store);
  const maxIndexOf = store.prepare(
    'SELECT coalesce(max(part_index), -1) AS n FROM thread_parts WHERE part_id = ?',
  );

  const assignments = new PartAssignments(
    store.prepare('SELECT coalesce(max(id), 0) FROM threads').pluck().get() as number,
  );
  db.transaction(() => {
    db.exec(`DELETE FROM parts WHERE id NOT IN (SELECT part_id FROM writes);
             DELETE FROM thread_parts WHERE part_id NOT IN (SELECT id FROM parts);`);
    // Parts left now are started ones; with none (a first run), no conversation has one to look up.
    const anyStarted = store.prepare('SELECT EXISTS (SELECT 1 FROM parts)').pluck().get() === 1;
    const sampled = options.sample ? sampleOf(store, runId, options.sample) : undefined;
    for (const conversation of conversationsOfRun(store, runId)) {
      const { key, threads: all } = conversation;
      if (sampled && !sampled.has(key)) continue;
      counts.conversations += 1;
      const unsent = all.filter((_, i) => conversation.unsent[i]);
      if (unsent.length === 0) continue;
      const lastStarted = anyStarted ? (lastStartedOf.get(key) as StartedPart | undefined) : undefined;
      const plan = planConversation(key, unsent, lastStarted, all, options);
      if (plan.kind === 'rejected') {
        counts.conversationsRejected += 1;
        for (const thread of unsent) {
          const body = bodyOf.get(thread.id) as RowColumns & { row_json: string; raw_json: string | null };
          const row = decodeRowBody(body.row_json, body);
          // Staging keeps the cells of every row of a conversation that names no customer (RawCellsKeeper).
          if (body.raw_json === null) throw new Error(`thread ${thread.id}: its cells were not kept`);
          insertReject({
            pos: row.pos,
            field: plan.field,
            reason: plan.reason,
            ...rawRowOf(headersOf(row.pos.file), body.raw_json),
          });
          counts.rowsRejected += 1;
        }
        continue;
      }
      counts.threadsOlderThanSent += plan.olderThanSent;
      if (plan.append) {
        let index = (maxIndexOf.get(plan.append.partId) as { n: number }).n;
        for (const id of plan.append.threadIds)
          assignments.add(id, plan.append.partId, ++index, false, false);
        counts.threadsPlanned += plan.append.threadIds.length;
      }
      for (const part of plan.parts) {
        const partId = Number(
          insertPart.run(key, part.partNo, part.envelope.subject, JSON.stringify(part.envelope))
            .lastInsertRowid,
        );
        part.threadIds.forEach((id, index) => {
          assignments.add(id, partId, index, index < part.inline, index === 0 && part.deferFirstAttachments);
        });
        counts.partsPlanned += 1;
        counts.threadsPlanned += part.threadIds.length;
      }
    }
    assignments.write(store);
  })();
  return counts;
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
