import type { SourceConfig } from '../config/schema.js';
import { StoppedError } from '../helpscout/errors.js';
import { readCsvRecordsInWorker } from '../source/csv-in-worker.js';
import { RawCellsKeeper, rawCells } from '../source/raw-cells.js';
import { readSourceChunks } from '../source/read-source.js';
import type { RejectedRow, SourceItem } from '../source/types.js';
import { type PreparedThread, prepareThread } from './prepare-row.js';
import { THREAD_CONVERSATION_INDEX_SQL, THREAD_IDENTITY_INDEX_SQL } from './schema.js';
import { SourceFileNumbers } from './source-files.js';
import type { StateStore } from './store.js';

export interface StageCounts {
  rowsRead: number;
  rowsValid: number;
  rejected: number;
  newThreads: number;
}

/**
 * Stages the export: its CSV parsed in a worker thread (csv-in-worker.ts) while this one checks each record
 * and writes it (see stageChunks).
 */
export function stageExport(
  store: StateStore,
  source: SourceConfig,
  baseDir: string,
  runId: number,
  stop?: AbortSignal,
): Promise<StageCounts> {
  return stageChunks(
    store,
    readSourceChunks(source, { baseDir, records: readCsvRecordsInWorker }),
    runId,
    stop,
  );
}

/** Stages what a source yields (see stageChunks). */
export function stageSource(
  store: StateStore,
  items: AsyncIterable<SourceItem>,
  runId: number,
  stop?: AbortSignal,
): Promise<StageCounts> {
  async function* chunks(): AsyncGenerator<SourceItem[]> {
    for await (const item of items) yield [item];
  }
  return stageChunks(store, chunks(), runId, stop);
}

/** Writes one staged thread; each kind of staging has its own. */
type ThreadWriter = (thread: PreparedThread, runId: number) => void;

/**
 * Reads the whole export into the state file in one transaction: a run-fatal source error leaves the state
 * as it was. Rows seen before keep their identity (and their progress); rejects are rebuilt from this reading.
 * Identical messages (same conversation, time, role and text) are told apart by their rank in the export.
 */
export async function stageChunks(
  store: StateStore,
  chunks: AsyncIterable<SourceItem[]>,
  runId: number,
  stop?: AbortSignal,
): Promise<StageCounts> {
  const db = store.db;
  const counts: StageCounts = { rowsRead: 0, rowsValid: 0, rejected: 0, newThreads: 0 };
  const insertReject = rejectInserter(store);
  const headersByFile: Record<string, string[]> = {};
  const keeper = new RawCellsKeeper();
  const before = store.prepare('SELECT count(*) FROM threads').pluck().get() as number;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('DELETE FROM rejects');
    const write = before === 0 ? firstLoadWriter(store) : rerunWriter(store);
    const files = new SourceFileNumbers(store);
    for await (const items of chunks) {
      // Stopped while reading: roll back, so the state is as it was before this run.
      if (stop?.aborted) throw new StoppedError('READ', 'the export');
      for (const item of items) {
        counts.rowsRead += 1;
        if (item.kind === 'reject') {
          insertReject(item.reject);
          counts.rejected += 1;
          continue;
        }
        counts.rowsValid += 1;
        const { row } = item;
        headersByFile[row.pos.file] ??= Object.keys(row.raw);
        const rawValues = keeper.mayBeNeeded(row) ? Object.values(row.raw) : null;
        write(prepareThread(row, rawValues, files.numberOf(row.pos.file)), runId);
      }
    }
    store.setMeta('source_headers', JSON.stringify(headersByFile));
    files.save();
    db.exec(THREAD_CONVERSATION_INDEX_SQL);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  counts.newThreads = (store.prepare('SELECT count(*) FROM threads').pluck().get() as number) - before;
  return counts;
}

const THREAD_COLUMNS = `base_key, occurrence, conversation_key, seq, created_at, source_thread_id, bytes,
                        profile_json, agent_email, seen_run, row_json, raw_json`;
const THREAD_PLACEHOLDERS = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?';

/** The values of THREAD_COLUMNS, in order (positional parameters: binding by name costs a third more). */
function threadValues(t: PreparedThread, occurrence: number, runId: number): unknown[] {
  return [
    t.baseKey,
    occurrence,
    t.conversation,
    t.seq,
    t.createdAt,
    t.threadId,
    t.bytes,
    t.profile,
    t.agentEmail,
    runId,
    t.row,
    t.raw,
  ];
}

/**
 * The first staging into a state file: no row to match, so plain appends without the identity index, and
 * identical messages ranked only when a later staging needs it (ensureIdentityIndex). The conversation index
 * is built once the appends are done.
 */
function firstLoadWriter(store: StateStore): ThreadWriter {
  store.db.exec('DROP INDEX IF EXISTS threads_identity; DROP INDEX IF EXISTS threads_by_conversation');
  const insert = store.prepare(`INSERT INTO threads (${THREAD_COLUMNS}) VALUES (${THREAD_PLACEHOLDERS})`);
  return (t, runId) => {
    insert.run(...threadValues(t, 1, runId));
  };
}

/**
 * The identity index, built once by the first staging that matches rows. Identical messages of the first
 * load all went in as occurrence 1; when there are any, the unique index refuses them, and they are ranked
 * by their position in that reading first.
 */
function ensureIdentityIndex(store: StateStore): void {
  try {
    store.db.exec(THREAD_IDENTITY_INDEX_SQL);
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    store.db.exec(`
      UPDATE threads SET occurrence = ranked.n
      FROM (SELECT id, row_number() OVER (PARTITION BY base_key ORDER BY seq) AS n FROM threads) AS ranked
      WHERE ranked.id = threads.id AND ranked.n > 1;
      ${THREAD_IDENTITY_INDEX_SQL}`);
  }
}

/**
 * A later staging: each row finds the thread it was on an earlier reading by (base_key, occurrence). A thread
 * not yet in a part takes this reading's content; one already planned keeps what it was planned with. The
 * rank among identical messages is looked up only when a row meets one already read in this run.
 */
function rerunWriter(store: StateStore): ThreadWriter {
  ensureIdentityIndex(store);
  const unplanned =
    "NOT EXISTS (SELECT 1 FROM thread_parts WHERE thread_parts.thread_id = threads.id) AND state = 'pending'";
  const upsert = store.prepare(
    `INSERT INTO threads (${THREAD_COLUMNS}) VALUES (${THREAD_PLACEHOLDERS})
     ON CONFLICT (base_key, occurrence) DO UPDATE SET
       seq = excluded.seq,
       seen_run = excluded.seen_run,
       profile_json = CASE WHEN ${unplanned} THEN excluded.profile_json ELSE profile_json END,
       agent_email = CASE WHEN ${unplanned} THEN excluded.agent_email ELSE agent_email END,
       bytes = CASE WHEN ${unplanned} THEN excluded.bytes ELSE bytes END,
       created_at = CASE WHEN ${unplanned} THEN excluded.created_at ELSE created_at END,
       row_json = CASE WHEN ${unplanned} THEN excluded.row_json ELSE row_json END,
       raw_json = CASE WHEN ${unplanned} THEN excluded.raw_json ELSE raw_json END
     WHERE threads.seen_run <> excluded.seen_run
     RETURNING id`,
  );
  const rank = store.prepare('SELECT count(*) FROM threads WHERE base_key = ? AND seen_run = ?').pluck();
  const upsertAs = (t: PreparedThread, occurrence: number, runId: number): boolean =>
    upsert.get(...threadValues(t, occurrence, runId)) !== undefined;
  return (t, runId) => {
    // Nothing written: the first of these identical messages was already read in this run.
    if (!upsertAs(t, 1, runId)) upsertAs(t, (rank.get(t.baseKey, runId) as number) + 1, runId);
  };
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
  return { raw: rawCells(headers, JSON.parse(rawJson) as string[]), headers: [...headers] };
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
