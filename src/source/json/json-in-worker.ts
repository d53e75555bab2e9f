import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SourceConfig } from '../../config/schema.js';
import { Wakeup } from '../../util/wakeup.js';
import { type CsvWorkerMessage, rebuildError } from '../csv-in-worker.js';
import type { SourceItem } from '../types.js';
import { decodeItems, type ItemChunk } from './item-chunk.js';
import type { JsonFileRead } from './json-source.js';

export type JsonWorkerMessage =
  | { type: 'items'; chunk: ItemChunk }
  | { type: 'done' }
  | Extract<CsvWorkerMessage, { type: 'error' }>;

export interface JsonWorkerData {
  config: SourceConfig;
  absPath: string;
  file: string;
  format: 'json' | 'jsonl';
  /** Chunks the thread may send ahead of those taken here: bounds the memory. */
  chunksAhead: number;
}

const CHUNKS_AHEAD = 8;
// JSON.parse makes many short-lived objects: with 16 MB, collecting them took the thread twice the time
// (reading and mapping 100,000 messages: 11 s against 5 s with 64 MB, on a loaded machine). A fixed size,
// which the thread reaches early on any export, so its memory does not grow with the export.
const YOUNG_GENERATION_MB = 64;

// The worker is this module's sibling, compiled (.js) or, under a TypeScript loader, as source (.ts).
const WORKER_URL = new URL(`./json-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * readJsonFile in a worker thread: parsing and mapping run on one core while the caller stores the rows on
 * another. Yields the same items in the same order, numbered by `read.nextSeq`; run-fatal errors
 * (SOURCE_JSON_MALFORMED, SOURCE_FILE_UNREADABLE, SOURCE_BAD_CONFIG) are thrown here as they were there.
 */
export async function* readJsonFileInWorker(
  read: JsonFileRead,
  format: 'json' | 'jsonl',
): AsyncGenerator<SourceItem[]> {
  const data: JsonWorkerData = {
    config: read.config,
    absPath: read.absPath,
    file: read.file,
    format,
    chunksAhead: CHUNKS_AHEAD,
  };
  const worker = new Worker(WORKER_URL, {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  const queue: JsonWorkerMessage[] = [];
  let failure: Error | undefined;
  const wakeup = new Wakeup();
  worker.on('message', (message: JsonWorkerMessage) => {
    queue.push(message);
    wakeup.notify();
  });
  worker.on('error', (error) => {
    failure = error;
    wakeup.notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the JSON reading thread stopped (exit code ${code})`);
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
      worker.postMessage('more');
      yield decodeItems(message.chunk, read.nextSeq);
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
