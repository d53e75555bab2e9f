import {
  type PlanOptions,
  type PlanThread,
  planConversation,
  type StartedPart,
} from '../plan/plan-conversation.js';
import type { ProfileSource } from '../plan/profile.js';
import { rawRowOf, rejectInserter, type StagedRow, sourceHeaders } from './staging.js';
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

interface ThreadRecord {
  id: number;
  seq: number;
  created_at: string;
  source_thread_id: string | null;
  bytes: number;
  profile_json: string | null;
  part_id: number | null;
  state: string;
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
  const threadsOf = store.prepare(
    `SELECT id, seq, created_at, source_thread_id, bytes, profile_json, part_id, state
     FROM threads WHERE conversation_key = ? AND seen_run = ?`,
  );
  const lastStartedOf = store.prepare(
    `SELECT p.id, p.part_no AS partNo, (SELECT count(*) FROM threads t WHERE t.part_id = p.id) AS threadCount,
            (SELECT max(t.created_at) FROM threads t JOIN parts q ON q.id = t.part_id
              WHERE q.conversation_key = p.conversation_key) AS lastCreatedAt
     FROM parts p WHERE p.conversation_key = ? ORDER BY p.part_no DESC LIMIT 1`,
  );
  const insertPart = store.prepare(
    'INSERT INTO parts (conversation_key, part_no, subject, envelope_json) VALUES (?, ?, ?, ?)',
  );
  const assign = store.prepare(
    'UPDATE threads SET part_id = ?, part_index = ?, inline = ?, attachments_later = ? WHERE id = ?',
  );
  // Read once, and only when a conversation is rejected.
  let headers: Record<string, string[]> | undefined;
  const headersOf = (file: string): string[] => {
    headers ??= sourceHeaders(store);
    return headers[file] ?? [];
  };
  const rowOf = store.prepare('SELECT row_json, raw_json FROM threads WHERE id = ?');
  const insertReject = rejectInserter(store);
  const maxIndexOf = store.prepare(
    'SELECT coalesce(max(part_index), -1) AS n FROM threads WHERE part_id = ?',
  );

  db.transaction(() => {
    db.exec(`DELETE FROM parts WHERE id NOT IN (SELECT part_id FROM writes);
             UPDATE threads SET part_id = NULL, part_index = NULL, inline = 0, attachments_later = 0
               WHERE part_id IS NOT NULL AND part_id NOT IN (SELECT id FROM parts);`);
    const conversations = store
      .prepare(
        `SELECT conversation_key AS key, min(seq) AS first FROM threads WHERE seen_run = ?
         GROUP BY conversation_key ORDER BY first${options.sample ? ' LIMIT ?' : ''}`,
      )
      .all(...(options.sample ? [runId, options.sample] : [runId])) as { key: string }[];
    counts.conversations = conversations.length;
    for (const { key } of conversations) {
      const records = threadsOf.all(key, runId) as ThreadRecord[];
      const all = records.map(toPlanThread);
      const unsent = all.filter((_, i) => records[i]?.part_id === null && records[i]?.state === 'pending');
      if (unsent.length === 0) continue;
      const lastStarted = lastStartedOf.get(key) as StartedPart | undefined;
      const plan = planConversation(key, unsent, lastStarted, all, options);
      if (plan.kind === 'rejected') {
        counts.conversationsRejected += 1;
        for (const record of records.filter((r) => r.part_id === null && r.state === 'pending')) {
          const { row_json, raw_json } = rowOf.get(record.id) as { row_json: string; raw_json: string };
          const row = JSON.parse(row_json) as StagedRow;
          insertReject({
            pos: row.pos,
            field: plan.field,
            reason: plan.reason,
            ...rawRowOf(headersOf(row.pos.file), raw_json),
          });
          counts.rowsRejected += 1;
        }
        continue;
      }
      counts.threadsOlderThanSent += plan.olderThanSent;
      if (plan.append) {
        let index = (maxIndexOf.get(plan.append.partId) as { n: number }).n;
        for (const id of plan.append.threadIds) assign.run(plan.append.partId, ++index, 0, 0, id);
        counts.threadsPlanned += plan.append.threadIds.length;
      }
      for (const part of plan.parts) {
        const partId = Number(
          insertPart.run(key, part.partNo, part.envelope.subject, JSON.stringify(part.envelope))
            .lastInsertRowid,
        );
        part.threadIds.forEach((id, index) => {
          assign.run(
            partId,
            index,
            index < part.inline ? 1 : 0,
            index === 0 && part.deferFirstAttachments ? 1 : 0,
            id,
          );
        });
        counts.partsPlanned += 1;
        counts.threadsPlanned += part.threadIds.length;
      }
    }
  })();
  return counts;
}

const NO_PROFILE: ProfileSource = { customer: {}, tags: [] };

function toPlanThread(record: ThreadRecord): PlanThread {
  const profile: ProfileSource = record.profile_json
    ? (JSON.parse(record.profile_json) as ProfileSource)
    : NO_PROFILE;
  return {
    id: record.id,
    seq: record.seq,
    createdAt: record.created_at,
    threadId: record.source_thread_id ?? undefined,
    bytes: record.bytes,
    subject: profile.subject,
    customer: profile.customer,
    tags: profile.tags,
    status: profile.status,
  };
}
