import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHUNKS_AHEAD, chunksFromThread } from './chunk-thread.js';
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

export interface CsvWorkerData {
  absPath: string;
  file: string;
  options: CsvReadOptions;
  chunksAhead: number;
}

// csv-parse's strings die young: a small young generation holds them as well, and keeps the thread's
// memory from growing with the length of the file (V8 lets it grow to 48 MB on a long run).
const YOUNG_GENERATION_MB = 8;

// The worker is this module's sibling, compiled (.js) or, under a TypeScript loader, as source (.ts).
const WORKER_URL = new URL(`./csv-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * readCsvRecords in a worker thread: csv-parse runs on one core while the caller checks and stores the
 * records on another. Yields the same records, in the same chunks; the parser's run-fatal errors
 * (SOURCE_CSV_MALFORMED, SOURCE_FILE_UNREADABLE) are thrown here as they were thrown there.
 */
export function readCsvRecordsInWorker(
  absPath: string,
  file: string,
  options: CsvReadOptions,
  chunksAhead = CHUNKS_AHEAD,
): AsyncGenerator<CsvRecord[]> {
  const data: CsvWorkerData = { absPath, file, options, chunksAhead };
  return chunksFromThread(WORKER_URL, data, YOUNG_GENERATION_MB, 'CSV parsing', recordsOf);
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
