/**
 * The JSON reading thread (see json-in-worker.ts): reads, parses and maps one file and hands its rows and
 * rejects to the main thread in chunks, at most a few ahead of what it has taken.
 */
import { workerData } from 'node:worker_threads';
import { serveChunks } from '../chunk-thread.js';
import { encodeItems } from './item-chunk.js';
import type { JsonWorkerData } from './json-in-worker.js';
import { readJsonFile } from './json-source.js';

const { config, absPath, file, format, chunksAhead } = workerData as JsonWorkerData;

// Numbered here from 0; the main thread numbers them again across the whole export.
let seq = 0;
const read = { config, absPath, file, nextSeq: () => seq++ };

async function* chunks() {
  for await (const items of readJsonFile(read, format)) yield encodeItems(items);
}

await serveChunks(chunks(), chunksAhead);
