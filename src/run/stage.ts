import { dirname, join } from 'node:path';
import type { RequestLimits } from '../api/request-size.js';
import type { SourceConfig } from '../config/schema.js';
import { SUBJECT_MAX } from '../plan/subject.js';
import { isRejectsReport } from '../source/column-map.js';
import { readCsvRecordsInWorker } from '../source/csv-in-worker.js';
import { RawCellsKeeper } from '../source/raw-cells.js';
import { readSourceChunks } from '../source/read-source.js';
import type { RejectedRow, SourceItem } from '../source/types.js';
import { WHOLE_FILE_FIELD } from '../source/whole-problems.js';
import { prepareThread } from '../state/prepare-row.js';
import {
  type ConflictingRows,
  keepCells,
  rowsWithoutCells,
  settleRepeatedThreadIds,
} from '../state/repeated-thread-ids.js';
import type { RetryCounts } from '../state/retry-failed.js';
import { StagingTransaction } from '../state/staging-writer.js';
import type { StateStore } from '../state/store.js';
import { StoppedError } from '../util/errors.js';
import { fillRejectedCustomers } from './reject-customers.js';
import { withinLimits } from './within-limits.js';

export interface StageCounts {
  rowsRead: number;
  rowsValid: number;
  rejected: number;
  newThreads: number;
  /** Valid rows whose subject is longer than Help Scout keeps: it is cut, and the run warns. */
  subjectsCut: number;
  /** Later copies of a message (same conversation, `thread_id` and content): staged once, counted here. */
  repeated: number;
  /** Files that gave no row at all (empty, or a header only): surely not the export meant. */
  filesWithoutRows: string[];
  /** Failed threads sent again: their row changed, or `--retry-failed` asked. */
  retried: RetryCounts;
}

export interface StageOptions {
  /** `--retry-failed`: every failed thread of this reading is sent again, its row changed or not. */
  retryFailed?: boolean;
  /** The configured request sizes: a row no request could carry is rejected (withinLimits). */
  limits?: RequestLimits;
}

/**
 * Stages the export: its CSV parsed in a worker thread (csv-in-worker.ts) while this one checks each record
 * and writes it, its JSON read and mapped in one (json-in-worker.ts) while this one writes (see stageChunks).
 */
export function stageExport(
  store: StateStore,
  source: SourceConfig,
  baseDir: string,
  runId: number,
  stop?: AbortSignal,
  now?: number,
  options: StageOptions = {},
): Promise<StageCounts> {
  const read = () =>
    readSourceChunks(source, {
      baseDir,
      records: readCsvRecordsInWorker,
      jsonInWorker: true,
      // Files an export carries inside it (mbox) are written here, read again at send time.
      attachmentsDir: join(dirname(store.path), 'attachments'),
      now,
    });
  return stageChunks(store, read(), runId, stop, options, (seqs) => rowsAt(read(), seqs));
}

/** Rows as read, by their place in the export: reading it again is cheaper than keeping every row's cells. */
async function rowsAt(
  chunks: AsyncIterable<SourceItem[]>,
  seqs: ReadonlySet<number>,
): Promise<Map<number, RejectedRow>> {
  const found = new Map<number, RejectedRow>();
  for await (const items of chunks) {
    for (const item of items) {
      if (item.kind !== 'row' || !seqs.has(item.row.pos.seq)) continue;
      const { pos, raw } = item.row;
      found.set(pos.seq, { pos, field: '', reason: '', raw, headers: Object.keys(raw) });
    }
    if (found.size === seqs.size) break;
  }
  return found;
}

/** Stages what a source yields (see stageChunks). */
export function stageSource(
  store: StateStore,
  items: AsyncIterable<SourceItem>,
  runId: number,
  stop?: AbortSignal,
  options: StageOptions = {},
): Promise<StageCounts> {
  async function* chunks(): AsyncGenerator<SourceItem[]> {
    for await (const item of items) yield [item];
  }
  return stageChunks(store, chunks(), runId, stop, options);
}

/** Rows of one `thread_id` that differ: each rejected, naming the others, with its cells as read. */
function conflictRejects(
  conflicts: readonly ConflictingRows[],
  rows: ReadonlyMap<number, RejectedRow>,
): RejectedRow[] {
  const rejects: RejectedRow[] = [];
  for (const c of conflicts) {
    const where = c.seqs.map((seq) => rows.get(seq)?.pos.row ?? '?').join(', ');
    for (const seq of c.seqs) {
      const row = rows.get(seq) ?? { pos: { file: '', row: 0, line: 0, seq }, raw: {}, headers: [] };
      rejects.push({
        ...row,
        field: 'thread_id',
        reason: `thread_id "${c.threadId}" of conversation ${c.conversation} is on rows ${where} with different content: which is the message cannot be told; keep one, or give each its own thread_id`,
      });
    }
  }
  return rejects;
}

/**
 * Reads the whole export into the state file in one staging transaction (StagingTransaction): every row is
 * staged or rejected, and a stop while reading leaves the state as it was.
 */
export async function stageChunks(
  store: StateStore,
  chunks: AsyncIterable<SourceItem[]>,
  runId: number,
  stop?: AbortSignal,
  options: StageOptions = {},
  rowsOf?: (seqs: ReadonlySet<number>) => Promise<Map<number, RejectedRow>>,
): Promise<StageCounts> {
  const counts: StageCounts = {
    rowsRead: 0,
    rowsValid: 0,
    rejected: 0,
    repeated: 0,
    newThreads: 0,
    subjectsCut: 0,
    filesWithoutRows: [],
    retried: { changed: 0, asked: 0 },
  };
  const headersByFile: Record<string, string[]> = {};
  // The conversations of rows read from a rejects.csv fed back: planned whole (adoptUnsent).
  const fedBack = new Set<string>();
  const fedBackFiles = new Set<string>();
  const keeper = new RawCellsKeeper();
  const staging = new StagingTransaction(store, runId, options.retryFailed);
  try {
    for await (const items of chunks) {
      if (stop?.aborted) throw new StoppedError('reading the export');
      for (const original of items) {
        counts.rowsRead += 1;
        const item = options.limits ? withinLimits(original, options.limits) : original;
        if (item.kind === 'reject') {
          staging.reject(item.reject);
          counts.rejected += 1;
          if (item.reject.field === WHOLE_FILE_FIELD) counts.filesWithoutRows.push(item.reject.pos.file);
          continue;
        }
        counts.rowsValid += 1;
        const { row } = item;
        if (row.subject !== undefined && row.subject.length > SUBJECT_MAX) counts.subjectsCut += 1;
        if (headersByFile[row.pos.file] === undefined) {
          const headers = Object.keys(row.raw);
          headersByFile[row.pos.file] = headers;
          if (isRejectsReport(headers)) {
            fedBackFiles.add(row.pos.file);
            staging.fedBackFile(row.pos.file);
          }
        }
        const isFedBack = fedBackFiles.has(row.pos.file);
        if (isFedBack) fedBack.add(row.conversationId);
        const rawValues = keeper.mayBeNeeded(row) ? Object.values(row.raw) : null;
        staging.thread(prepareThread(row, rawValues, staging.fileNumber(row.pos.file)), isFedBack);
      }
    }
    const repeated = settleRepeatedThreadIds(store, runId);
    counts.repeated = repeated.copies;
    const conflicting = repeated.conflicts.flatMap((c) => c.seqs);
    if (conflicting.length > 0) {
      const conversations = [...new Set(repeated.conflicts.map((c) => c.conversation))];
      const uncelled = rowsWithoutCells(store, runId, conversations);
      const wanted = new Set([...conflicting, ...uncelled.map((r) => r.seq)]);
      const rows = rowsOf ? await rowsOf(wanted) : new Map<number, RejectedRow>();
      for (const r of uncelled) {
        const row = rows.get(r.seq);
        if (row) keepCells(store, r.id, Object.values(row.raw));
      }
      for (const reject of conflictRejects(repeated.conflicts, rows)) staging.reject(reject);
      counts.rowsValid -= conflicting.length;
      counts.rejected += conflicting.length;
    }
    const committed = staging.commit(headersByFile, () => {
      staging.adoptUnsent(fedBack);
      fillRejectedCustomers(store, staging.customerFills);
    });
    counts.newThreads = committed.newThreads;
    counts.retried = committed.retried;
  } catch (error) {
    staging.rollback();
    throw error;
  }
  return counts;
}
