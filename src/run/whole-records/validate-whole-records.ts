import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import type { RequestLimits } from '../../api/request-size.js';
import type { SourceConfig } from '../../config/schema.js';
import type { PlanOptions } from '../../plan/plan-conversation.js';
import { chunksFromThread } from '../../source/chunk-thread.js';
import { formatOf } from '../../source/detect.js';
import { planJsonRead } from '../../source/json/json-source.js';
import { lineRanges } from '../../source/json/records.js';
import type { RejectLine } from '../../state/rejects.js';
import { anyRepeated } from './key-hashes.js';
import { addCounts, noCounts, type TalliedReject, type ValidateCounts } from './record-tally.js';
import type { TallyTask, TaskResult } from './tally-task.js';

/** A JSONL file smaller than this is read by one thread: starting another costs more than it saves. */
const SPLIT_MIN_BYTES = 4 * 1024 * 1024;
/** Threads at most: past a few, reading the file is what limits. */
const MAX_THREADS = 4;
// JSON.parse makes many short-lived objects (json-in-worker.ts). Not the reading thread's 64 MB: with it, a
// 1,000,000-message validate peaked at 268 MB against 198 MB for 100,000 (1.35 ×); with 48 MB, at 221 MB
// against 199 MB, in the same time (32 MB: the same; 16 MB: a fifth slower).
const YOUNG_GENERATION_MB = 48;
const WORKER_URL = new URL(`./tally-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export interface WholeRecordFigures {
  counts: ValidateCounts;
  /** In export order, numbered as in the files. */
  rejects: RejectLine[];
}

export interface WholeRecordOptions {
  plan: PlanOptions & { sample?: number | undefined };
  limits: RequestLimits;
  /** Threads reading at once; by default one a core, at most MAX_THREADS. */
  threads?: number;
  /** JSONL files from this size on are cut into ranges (SPLIT_MIN_BYTES). */
  splitMinBytes?: number;
}

/**
 * `validate` without a state file, for exports whose every record is one whole conversation (JSON whose every
 * shape nests the messages: the Zendesk, Help Scout and Groove presets, or such `source.shapes`): records are
 * independent, so a large JSONL file is cut into ranges read by several threads at once, each checking and
 * planning its records as staging and planning would. Gives the same figures as staging, or undefined when
 * only staging can tell: another format, no file, `--sample`, or a conversation met in two records.
 */
export async function validateWholeRecords(
  source: SourceConfig,
  baseDir: string,
  options: WholeRecordOptions,
): Promise<WholeRecordFigures | undefined> {
  // Without files, staging says what is wrong (run-fatal).
  if (options.plan.sample !== undefined || source.files.length === 0) return undefined;
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_THREADS);
  const tasks = await tasksOf(source, baseDir, options, threads);
  if (tasks === undefined) return undefined;
  const limit = pLimit(threads);
  // The first task that fails, or finds what only staging can settle, stops the others: their work is moot.
  const stop = new AbortController();
  const failures = new Map<number, unknown>();
  const results = await Promise.all(
    tasks.map((task, i) =>
      limit(async () => {
        if (stop.signal.aborted) return undefined;
        try {
          const result = await tallyInThread(task, stop.signal);
          if (result.needsStaging !== undefined) stop.abort();
          return result;
        } catch (error) {
          if (!stop.signal.aborted) failures.set(i, error);
          stop.abort();
          return undefined;
        }
      }),
    ),
  );
  // An error is the one staging gives only when every task before it went through; else staging finds it.
  const first = results.findIndex((r) => r === undefined || r.needsStaging !== undefined);
  if (failures.has(first)) throw failures.get(first);
  if (first !== -1) return undefined;
  const done = results as TaskResult[];
  if (anyRepeated(done.map((r) => r.keys))) return undefined;
  return merge(tasks, done);
}

/** A task a file, or a range a thread for a large JSONL file; undefined when a file is not of the kind. */
async function tasksOf(
  source: SourceConfig,
  baseDir: string,
  options: WholeRecordOptions,
  threads: number,
): Promise<TallyTask[] | undefined> {
  const tasks: TallyTask[] = [];
  for (const file of source.files) {
    const absPath = resolve(baseDir, file);
    const format = await formatOf(source, absPath, file);
    if (format !== 'json' && format !== 'jsonl') return undefined;
    if (!planJsonRead(source, file).shapes.every((shape) => shape.messages !== undefined)) return undefined;
    const { sample: _, ...plan } = options.plan;
    const task: TallyTask = { config: source, absPath, file, format, options: plan, limits: options.limits };
    // A file that cannot be read is read whole: its reader says why, as staging's would.
    const size = await stat(absPath).then(
      (s) => s.size,
      () => 0,
    );
    if (format === 'json' || threads === 1 || size < (options.splitMinBytes ?? SPLIT_MIN_BYTES)) {
      tasks.push(task);
      continue;
    }
    for (const { start, end } of await lineRanges(absPath, threads))
      tasks.push({ ...task, range: { start, end } });
  }
  return tasks;
}

async function tallyInThread(task: TallyTask, stop: AbortSignal): Promise<TaskResult> {
  const decode = (result: TaskResult) => result;
  const results = chunksFromThread(WORKER_URL, task, YOUNG_GENERATION_MB, 'validating', decode, stop);
  for await (const result of results) return result;
  throw new Error(`the validating thread of ${task.file} sent no figures`);
}

/** The tasks' figures added up, their rejects numbered as in the export (files, lines, records, order). */
function merge(tasks: readonly TallyTask[], results: readonly TaskResult[]): WholeRecordFigures {
  const counts = noCounts();
  const rejects: TalliedReject[] = [];
  let seqBase = 0;
  let lineBase = 0;
  let recordBase = 0;
  results.forEach((result, i) => {
    const range = tasks[i]?.range;
    if (range === undefined || range.start === 0) {
      lineBase = 0;
      recordBase = 0;
    }
    addCounts(counts, result.counts);
    for (const r of result.rejects) {
      rejects.push({
        ...r,
        seq: r.seq + seqBase,
        row: r.row + recordBase,
        line: r.line > 0 ? r.line + lineBase : r.line,
      });
    }
    seqBase += result.counts.rowsRead;
    lineBase += result.lines;
    recordBase += result.records;
  });
  rejects.sort((a, b) => a.seq - b.seq);
  return { counts, rejects: rejects.map(({ seq: _, ...line }) => line) };
}
