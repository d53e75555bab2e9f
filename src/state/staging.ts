import { createHash } from 'node:crypto';
import { API_LIMITS } from '../helpscout/api-types.js';
import { estimateThreadBytes } from '../plan/size.js';
import type { RejectedRow, SourceItem, ThreadRow } from '../source/types.js';
import type { StateStore } from './store.js';

export interface StageCounts {
  rowsRead: number;
  rowsValid: number;
  rejected: number;
  newThreads: number;
}

/** A thread's identity across reruns: its source id when the export has one, else what it says and when. */
export function threadBaseKey(row: ThreadRow): string {
  if (row.threadId) return `${row.conversationId}\u001fid:${row.threadId}`;
  const digest = createHash('sha1')
    .update(`${row.createdAt}\u001f${row.role}\u001f${row.text}`)
    .digest('base64url');
  return `${row.conversationId}\u001fh:${digest}`;
}

/**
 * Reads the whole export into the state file in one transaction: a run-fatal source error leaves the state
 * as it was. Rows seen before keep their identity (and their progress); rejects are rebuilt from this reading.
 */
export async function stageSource(
  store: StateStore,
  items: AsyncIterable<SourceItem>,
  runId: number,
): Promise<StageCounts> {
  const db = store.db;
  const counts: StageCounts = { rowsRead: 0, rowsValid: 0, rejected: 0, newThreads: 0 };
  const insertIncoming = db.prepare(
    'INSERT INTO incoming (seq, base_key, conversation_key, created_at, source_thread_id, bytes, row_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const before = (db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('DELETE FROM incoming; DELETE FROM rejects;');
    for await (const item of items) {
      counts.rowsRead += 1;
      if (item.kind === 'reject') {
        insertReject(store, item.reject);
        counts.rejected += 1;
        continue;
      }
      const row = item.row;
      const bytes = estimateThreadBytes(row);
      if (bytes > API_LIMITS.requestBytes) {
        insertReject(store, {
          pos: row.pos,
          field: 'attachments',
          reason: `the message with its attachments needs ${Math.ceil(bytes / 1024)} KiB, more than the ${API_LIMITS.requestBytes / 1024 / 1024} MiB a Help Scout request accepts`,
          raw: row.raw,
          headers: Object.keys(row.raw),
        });
        counts.rejected += 1;
        continue;
      }
      counts.rowsValid += 1;
      insertIncoming.run(
        row.pos.seq,
        threadBaseKey(row),
        row.conversationId,
        row.createdAt,
        row.threadId ?? null,
        bytes,
        JSON.stringify(row),
      );
    }
    // Identical messages (same conversation, time, role and text) are told apart by their order of appearance.
    db.prepare(
      `INSERT INTO threads (key, conversation_key, seq, created_at, source_thread_id, bytes, row_json, seen_run)
       SELECT base_key || '#' || row_number() OVER (PARTITION BY base_key ORDER BY seq),
              conversation_key, seq, created_at, source_thread_id, bytes, row_json, @run
       FROM incoming WHERE true
       ON CONFLICT (key) DO UPDATE SET
         seq = excluded.seq,
         seen_run = excluded.seen_run,
         row_json = CASE WHEN threads.part_id IS NULL AND threads.state = 'pending' THEN excluded.row_json ELSE threads.row_json END,
         bytes = CASE WHEN threads.part_id IS NULL AND threads.state = 'pending' THEN excluded.bytes ELSE threads.bytes END,
         created_at = CASE WHEN threads.part_id IS NULL AND threads.state = 'pending' THEN excluded.created_at ELSE threads.created_at END`,
    ).run({ run: runId });
    db.exec('DELETE FROM incoming');
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  const after = (db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n;
  counts.newThreads = after - before;
  return counts;
}

const insertRejectSql =
  'INSERT INTO rejects (seq, file, row, line, field, reason, raw_json, headers_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

export function insertReject(store: StateStore, reject: RejectedRow): void {
  store.db
    .prepare(insertRejectSql)
    .run(
      reject.pos.seq,
      reject.pos.file,
      reject.pos.row,
      reject.pos.line,
      reject.field,
      reject.reason,
      JSON.stringify(reject.raw),
      JSON.stringify(reject.headers),
    );
}
