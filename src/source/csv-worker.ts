/**
 * The CSV parsing thread (see csv-in-worker.ts): parses one file and hands its records to the main thread
 * in chunks, at most a few ahead of what it has taken.
 */
import { workerData } from 'node:worker_threads';
import { serveChunks } from './chunk-thread.js';
import { readCsvRecords } from './csv-file.js';
import { type CsvWorkerData, chunkOf } from './csv-in-worker.js';

const { absPath, file, options, chunksAhead } = workerData as CsvWorkerData;

async function* chunks() {
  for await (const records of readCsvRecords(absPath, file, options)) yield chunkOf(records);
}

await serveChunks(chunks(), chunksAhead);
