/**
 * The CSV parsing thread (see csv-in-worker.ts): parses one file and hands its records to the main thread
 * in chunks, at most a few ahead of what it has taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HsImportError } from '../util/errors.js';
import { Wakeup } from '../util/wakeup.js';
import { readCsvRecords } from './csv-file.js';
import { type CsvWorkerData, type CsvWorkerMessage, chunkOf } from './csv-in-worker.js';

const port = parentPort;
if (!port) throw new Error('csv-worker.js runs as a worker thread');
const { absPath, file, options, chunksAhead } = workerData as CsvWorkerData;

let credits = chunksAhead;
const wakeup = new Wakeup();
port.on('message', () => {
  credits += 1;
  wakeup.notify();
});

function post(message: CsvWorkerMessage): void {
  port?.postMessage(message);
}

try {
  for await (const records of readCsvRecords(absPath, file, options)) {
    while (credits === 0) await wakeup.sleep();
    credits -= 1;
    post({ type: 'records', chunk: chunkOf(records) });
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
