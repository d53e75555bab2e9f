/**
 * A thread of `validate`'s whole-record reading (validate-whole-records.ts): reads one file, or one range of a
 * JSONL file, tallies its records (record-tally.ts) and sends the figures back as its one chunk.
 */
import { workerData } from 'node:worker_threads';
import { serveChunks } from '../../source/chunk-thread.js';
import { readJsonRecordItems } from '../../source/json/json-source.js';
import type { LineRange } from '../../source/json/records.js';
import { RecordTally } from './record-tally.js';
import type { TallyTask, TaskResult } from './tally-task.js';

const task = workerData as TallyTask;

async function* tally(): AsyncGenerator<TaskResult> {
  const tally = new RecordTally(task.options, task.limits);
  // Numbered from 0 in this task; the main thread moves the numbers on by those of the tasks before it.
  let seq = 0;
  const read = { config: task.config, absPath: task.absPath, file: task.file, nextSeq: () => seq++ };
  const range: LineRange | undefined = task.range && { ...task.range, read: { lines: 0, records: 0 } };
  // validate names a reject by its place and reason: the cells are never needed.
  for await (const records of readJsonRecordItems(read, task.format, { range, cells: false })) {
    for (const items of records) tally.record(items);
    if (tally.needsStaging !== undefined) break;
  }
  yield { ...tally.result(), lines: range?.read.lines ?? 0, records: range?.read.records ?? 0 };
}

await serveChunks(tally(), 1);
