import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FatalError, HsImportError } from '../util/errors.js';
import { Wakeup } from '../util/wakeup.js';
import type { CsvReadOptions, CsvRecord } from './csv-file.js';

/**
 * Records as they cross from the parsing thread: every field laid end to end, with each record's field count
 * and line (an array per record costs more to pass).
 */
export interface RecordChunk {
  fields: string[];
  counts: number[];
  lines: number[];
}

export type CsvWorkerMessage =
  | { type: 'records'; chunk: RecordChunk }
  | { type: 'done' }
  | {
      type: 'error';
      error: { name: string; code: string; message: string; context: Record<string, unknown> };
    };

export interface CsvWorkerData {
  absPath: string;
  file: string;
  options: CsvReadOptions;
  /** Chunks the parser may send ahead of those taken here: bounds the memory. */
  chunksAhead: number;
}

const CHUNKS_AHEAD = 8;
const YOUNG_GENERATION_MB = 8;

// The worker is this module's sibling, compiled (.js) or, under a TypeScript loader, as source (.ts).
const WORKER_URL = new URL(`./csv-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * readCsvRecords in a worker thread: csv-parse runs on one core while the caller checks and stores the
 * records on another. Yields the same records, in the same chunks; the parser's run-fatal errors
 * (SOURCE_CSV_MALFORMED, SOURCE_FILE_UNREADABLE) are thrown here as they were thrown there.
 */
export async function* readCsvRecordsInWorker(
  absPath: string,
  file: string,
  options: CsvReadOptions,
  chunksAhead = CHUNKS_AHEAD,
): AsyncGenerator<CsvRecord[]> {
  const data: CsvWorkerData = { absPath, file, options, chunksAhead };
  const worker = new Worker(WORKER_URL, {
    workerData: data,
    // csv-parse's strings die young: a small young generation holds them as well, and keeps the thread's
    // memory from growing with the length of the file (V8 lets it grow to 48 MB on a long run).
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  const queue: CsvWorkerMessage[] = [];
  let failure: Error | undefined;
  const wakeup = new Wakeup();
  worker.on('message', (message: CsvWorkerMessage) => {
    queue.push(message);
    wakeup.notify();
  });
  worker.on('error', (error) => {
    failure = error;
    wakeup.notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the CSV parsing thread stopped (exit code ${code})`);
    wakeup.notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure) throw failure;
        await wakeup.sleep();
        continue;
      }
      if (message.type === 'done') return;
      if (message.type === 'error') throw rebuildError(message.error);
      // Taken: the parser may send one more.
      worker.postMessage('more');
      yield recordsOf(message.chunk);
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

/** Lays records end to end for the crossing (see RecordChunk). */
export function chunkOf(records: readonly CsvRecord[]): RecordChunk {
  const chunk: RecordChunk = { fields: [], counts: [], lines: [] };
  for (const { fields, line } of records) {
    for (const field of fields) chunk.fields.push(field);
    chunk.counts.push(fields.length);
    chunk.lines.push(line);
  }
  return chunk;
}

/** The records of a chunk, as they were parsed. */
export function recordsOf(chunk: RecordChunk): CsvRecord[] {
  const records: CsvRecord[] = [];
  let at = 0;
  chunk.counts.forEach((count, i) => {
    records.push({ fields: chunk.fields.slice(at, at + count), line: chunk.lines[i] as number });
    at += count;
  });
  return records;
}

export function rebuildError(error: Extract<CsvWorkerMessage, { type: 'error' }>['error']): Error {
  if (error.name === 'FatalError') return new FatalError(error.code, error.message, error.context);
  if (error.name === 'HsImportError') return new HsImportError(error.code, error.message, error.context);
  return new Error(error.message);
}
