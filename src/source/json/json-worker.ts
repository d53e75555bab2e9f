/**
 * The JSON reading thread (see json-in-worker.ts): reads, parses and maps one file and hands its rows and
 * rejects to the main thread in chunks, at most a few ahead of what it has taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HsImportError } from '../../util/errors.js';
import { Wakeup } from '../../util/wakeup.js';
import { encodeItems } from './item-chunk.js';
import type { JsonWorkerData, JsonWorkerMessage } from './json-in-worker.js';
import { readJsonFile } from './json-source.js';

const port = parentPort;
if (!port) throw new Error('json-worker.js runs as a worker thread');
const { config, absPath, file, format, chunksAhead } = workerData as JsonWorkerData;

let credits = chunksAhead;
const wakeup = new Wakeup();
port.on('message', () => {
  credits += 1;
  wakeup.notify();
});

function post(message: JsonWorkerMessage): void {
  port?.postMessage(message);
}

// Numbered here from 0; the main thread numbers them again across the whole export.
let seq = 0;
const read = { config, absPath, file, nextSeq: () => seq++ };
try {
  for await (const items of readJsonFile(read, format)) {
    while (credits === 0) await wakeup.sleep();
    credits -= 1;
    post({ type: 'items', chunk: encodeItems(items) });
  }
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
