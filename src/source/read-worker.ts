/**
 * The reader thread (see read-in-worker.ts): reads and validates the export, and hands the rows to the main
 * thread in batches, at most a few ahead of what it has taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceConfig } from '../config/schema.js';
import { HsImportError } from '../util/errors.js';
import type { ReaderMessage, ReaderOptions } from './read-in-worker.js';
import { readSourceChunks } from './read-source.js';
import { type SourceBatch, SourceBatcher } from './row-batch.js';

const port = parentPort;
if (!port) throw new Error('read-worker.js runs as a worker thread');
const { source, baseDir, batchRows, batchesAhead } = workerData as ReaderOptions & {
  source: SourceConfig;
  baseDir: string;
};

let credits = batchesAhead;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits += 1;
  wake?.();
});

function post(message: ReaderMessage): void {
  port?.postMessage(message);
}

async function send(batch: SourceBatch): Promise<void> {
  while (credits === 0) {
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  credits -= 1;
  post({ type: 'batch', batch });
}

try {
  const batcher = new SourceBatcher();
  for await (const items of readSourceChunks(source, { baseDir })) {
    for (const item of items) {
      batcher.add(item);
      if (batcher.size === batchRows) await send(batcher.take());
    }
  }
  if (batcher.size > 0) await send(batcher.take());
  post({ type: 'done' });
} catch (error) {
  const known = error instanceof HsImportError;
  post({
    type: 'error',
    error: {
      name: known ? error.name : 'Error',
      code: known ? error.code : '',
      message: error instanceof Error ? error.message : String(error),
      context: known ? error.context : {},
    },
  });
}
// The main thread ends this thread once it has the last message.
