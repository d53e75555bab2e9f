import { createHash } from 'node:crypto';
import { API_LIMITS } from '../helpscout/api-types.js';
import { StoppedError } from '../helpscout/errors.js';
import type { ProfileSource } from '../plan/profile.js';
import { estimateThreadBytes } from '../plan/size.js';
import type { RejectedRow, SourceItem, ThreadRow } from '../source/types.js';
import type { StateStore } from './store.js';

/** A source row as staged: everything but its raw cells, which are kept apart. */
export type StagedRow = Omit<ThreadRow, 'raw'>;

export interface StageCounts {
  rowsRead: number;
  rowsValid: number;
  rejected: number;
  newThreads: number;
}

/** A thread's identity across reruns: its source id when the export has one, else what it says and when. */
export function threadBaseKey(row: StagedRow): string {
  if (row.threadId) return `${row.conversationId}\u001fid:${row.threadId}`;
  const digest = createHash('sha1')
    .update(`${row.createdAt}\u001f${row.role}\u001f${row.text}`)
    .digest('base64url');
  return `${row.conversationId}\u001fh:${digest}`;
}

/** The conversation-level fields a row carries, or null when it carries none (most rows). */
function profileOf(row: StagedRow): string | null {
  const profile: ProfileSource = { customer: row.customer, tags: row.tags };
  if (row.subject) profile.subject = row.subject;
  if (row.status) profile.status = row.status;
  const empty =
    !row.subject && !row.status && row.tags.length === 0 && Object.keys(row.customer).length === 0;
  return empty ? null : JSON.stringify(profile);
}

/**
 * Reads the whole export into the state file in one transaction: a run-fatal source error leaves the state
 * as it was. Rows seen before keep their identity (and their progress); rejects are rebuilt from this reading.
 * Identical messages (same conversation, time, role and text) are told apart by their rank in the export.
 */
export async function stageSource(
  store: StateStore,
  items: AsyncIterable<SourceItem>,
  runId: number,
  stop?: AbortSignal,
): Promise<StageCounts> {
  const db = store.db;
  const counts: StageCounts = { rowsRead: 0, rowsValid: 0, rejected: 0, newThreads: 0 };
  const rank = store.prepare('SELECT count(*) FROM threads WHERE base_key = ? AND seen_run = ?').pluck();
  // A thread not yet in a sent part takes this reading's content; one already sent keeps what was sent.
  const upsert = store.prepare(
    `INSERT INTO threads (base_key, occurrence, conversation_key, seq, created_at, source_thread_id, bytes,
                          row_json, raw_json, profile_json, seen_run)
     VALUES (@baseKey, @occurrence, @conversation, @seq, @createdAt, @threadId, @bytes, @row, @raw, @profile, @run)
     ON CONFLICT (base_key, occurrence) DO UPDATE SET
       seq = excluded.seq,
       seen_run = excluded.seen_run,
       raw_json = excluded.raw_json,
       row_json = CASE WHEN part_id IS NULL AND state = 'pending' THEN excluded.row_json ELSE row_json END,
       profile_json = CASE WHEN part_id IS NULL AND state = 'pending' THEN excluded.profile_json ELSE profile_json END,
       bytes = CASE WHEN part_id IS NULL AND state = 'pending' THEN excluded.bytes ELSE bytes END,
       created_at = CASE WHEN part_id IS NULL AND state = 'pending' THEN excluded.created_at ELSE created_at END`,
  );
  const insertReject = rejectInserter(store);
  const headersByFile: Record<string, string[]> = {};
  const before = store.prepare('SELECT count(*) FROM threads').pluck().get() as number;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('DELETE FROM rejects');
    for await (const item of items) {
      // Stopped while reading: roll back, so the state is as it was before this run.
      if (stop?.aborted) throw new StoppedError('READ', 'the export');
      counts.rowsRead += 1;
      if (item.kind === 'reject') {
        insertReject(item.reject);
        counts.rejected += 1;
        continue;
      }
      const { raw, ...row } = item.row;
      const bytes = estimateThreadBytes(row);
      if (bytes > API_LIMITS.requestBytes) {
        insertReject({
          pos: row.pos,
          field: 'attachments',
          reason: `the message with its attachments needs ${Math.ceil(bytes / 1024)} KiB, more than the ${API_LIMITS.requestBytes / 1024 / 1024} MiB a Help Scout request accepts`,
          raw,
          headers: Object.keys(raw),
        });
        counts.rejected += 1;
        continue;
      }
      counts.rowsValid += 1;
      headersByFile[row.pos.file] ??= Object.keys(raw);
      const baseKey = threadBaseKey(row);
      upsert.run({
        baseKey,
        occurrence: (rank.get(baseKey, runId) as number) + 1,
        conversation: row.conversationId,
        seq: row.pos.seq,
        createdAt: row.createdAt,
        threadId: row.threadId ?? null,
        bytes,
        row: JSON.stringify(row),
        raw: JSON.stringify(Object.values(raw)),
        profile: profileOf(row),
        run: runId,
      });
    }
    store.setMeta('source_headers', JSON.stringify(headersByFile));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  counts.newThreads = (store.prepare('SELECT count(*) FROM threads').pluck().get() as number) - before;
  return counts;
}

/** The header of each source file, as the last staging recorded it. */
export function sourceHeaders(store: StateStore): Record<string, string[]> {
  return JSON.parse(store.getMeta('source_headers') ?? '{}') as Record<string, string[]>;
}

/** A staged thread as the export had it: its cells under its file's header. */
export function rawRowOf(
  headers: readonly string[],
  rawJson: string,
): { raw: Record<string, string>; headers: string[] } {
  const values = JSON.parse(rawJson) as string[];
  const raw: Record<string, string> = {};
  values.forEach((value, i) => {
    raw[headers[i] ?? `(field ${i + 1})`] = value;
  });
  return { raw, headers: [...headers] };
}

export function rejectInserter(store: StateStore): (reject: RejectedRow) => void {
  const insert = store.prepare(
    'INSERT INTO rejects (seq, file, row, line, field, reason, raw_json, headers_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (reject) => {
    insert.run(
      reject.pos.seq,
      reject.pos.file,
      reject.pos.row,
      reject.pos.line,
      reject.field,
      reject.reason,
      JSON.stringify(reject.raw),
      JSON.stringify(reject.headers),
    );
  };
}
