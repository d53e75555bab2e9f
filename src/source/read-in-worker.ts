import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SourceConfig } from '../config/schema.js';
import { FatalError, HsImportError } from '../util/errors.js';
import type { SourceBatch } from './row-batch.js';

export interface ReaderOptions {
  /** Rows per message from the reader thread. */
  batchRows: number;
  /** Batches the reader may send ahead of the ones the main thread has taken: bounds the memory. */
  batchesAhead: number;
}

export type ReaderMessage =
  | { type: 'batch'; batch: SourceBatch }
  | { type: 'done' }
  | {
      type: 'error';
      error: { name: string; code: string; message: string; context: Record<string, unknown> };
    };

const DEFAULTS: ReaderOptions = { batchRows: 512, batchesAhead: 4 };

// The worker is this module's sibling, compiled (.js) or, under a TypeScript loader, as source (.ts).
const WORKER_URL = new URL(`./read-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * readSource in a worker thread, yielding what it reads in batches, in order: reading and validating then run
 * on one core while the caller (staging, writing to SQLite) runs on another. Errors of the reading (a
 * FatalError such as SOURCE_CSV_MALFORMED) are thrown here as they were thrown there.
 */
export async function* readSourceInWorker(
  source: SourceConfig,
  baseDir: string,
  options: Partial<ReaderOptions> = {},
): AsyncGenerator<SourceBatch> {
  const worker = new Worker(WORKER_URL, {
    workerData: { source, baseDir, ...DEFAULTS, ...options },
  });
  const queue: ReaderMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: ReaderMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the export's reader thread stopped (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (message.type === 'done') return;
      if (message.type === 'error') throw rebuildError(message.error);
      yield message.batch;
      // Written: the reader may send one more.
      worker.postMessage('more');
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

function rebuildError(error: Extract<ReaderMessage, { type: 'error' }>['error']): Error {
  if (error.name === 'FatalError') return new FatalError(error.code, error.message, error.context);
  if (error.name === 'HsImportError') return new HsImportError(error.code, error.message, error.context);
  return new Error(error.message);
}
