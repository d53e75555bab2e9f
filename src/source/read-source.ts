import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SourceConfig, SourceFormat } from '../config/schema.js';
import { FatalError } from '../util/errors.js';
import { readCsvRecords } from './csv-file.js';
import { type CsvRecordReader, planRead, readCsvFile } from './csv-source.js';
import { formatOf, resolveSource } from './detect.js';
import { readJsonFileInWorker } from './json/json-in-worker.js';
import { readJsonFile } from './json/json-source.js';
import { readMboxChunks } from './mbox/read-mbox.js';
import { isCsvPreset } from './presets.js';
import type { SourceItem } from './types.js';

export type { CsvRecordReader } from './csv-source.js';
export { WHOLE_ROW_FIELD } from './csv-source.js';

/** What a format reader is given for one file. */
export interface FileRead {
  config: SourceConfig;
  absPath: string;
  file: string;
  /** Numbers the items across the whole export (files in the order given). */
  nextSeq: () => number;
  csvRecords: CsvRecordReader;
  /** The time `source.dateRange` is relative to. */
  now: number;
  /** Read JSON in a thread of its own (readJsonFileInWorker). */
  jsonInWorker: boolean;
}

type FormatReader = (read: FileRead) => AsyncGenerator<SourceItem[]>;

/** One reader a format, file by file (an mbox is read whole: its threads span files). */
const readers: Record<Exclude<SourceFormat, 'mbox'>, FormatReader> = {
  csv: (read) => {
    if (read.config.preset !== undefined && !isCsvPreset(read.config.preset)) {
      throw new FatalError(
        'SOURCE_BAD_CONFIG',
        `${read.file}: the ${read.config.preset} preset reads JSON, but this file is CSV (set source.format, or the right source.preset)`,
        { file: read.file, preset: read.config.preset },
      );
    }
    return readCsvFile(planRead(read.config, read.now), read.config, read, read.csvRecords, read.nextSeq);
  },
  json: (read) => (read.jsonInWorker ? readJsonFileInWorker : readJsonFile)(read, 'json'),
  jsonl: (read) => (read.jsonInWorker ? readJsonFileInWorker : readJsonFile)(read, 'jsonl'),
};

/**
 * Streams every record of every file (in the order given) as a valid ThreadRow or a RejectedRow. Throws
 * FatalError (SOURCE_FILE_UNREADABLE, SOURCE_MISSING_COLUMN, SOURCE_BAD_CONFIG, SOURCE_CSV_MALFORMED,
 * SOURCE_JSON_MALFORMED) for run-fatal problems.
 */
export async function* readSource(
  config: SourceConfig,
  options: { baseDir: string; attachmentsDir?: string; now?: number },
): AsyncGenerator<SourceItem> {
  for await (const items of readSourceChunks(config, options)) yield* items;
}

/** readSource's items, in the same order, as arrays of the records parsed together: fewer awaits. */
export async function* readSourceChunks(
  config: SourceConfig,
  options: {
    baseDir: string;
    records?: CsvRecordReader;
    jsonInWorker?: boolean;
    attachmentsDir?: string;
    now?: number;
  },
): AsyncGenerator<SourceItem[]> {
  if (config.files.length === 0) {
    throw new FatalError('SOURCE_BAD_CONFIG', 'source.files is empty: there is nothing to import');
  }
  const { source } = await resolveSource(config, options.baseDir);
  if (source.format === 'mbox') {
    // An mbox's files are inside its messages: written out to attachmentsDir (staging puts it beside the
    // state file), or to a temp folder for a caller that names none.
    const attachmentsDir = options.attachmentsDir ?? path.join(tmpdir(), 'hs-import-attachments');
    yield* readMboxChunks(source, { baseDir: options.baseDir, attachmentsDir });
    return;
  }
  let seq = 0;
  const nextSeq = () => seq++;
  for (const file of source.files) {
    const absPath = path.resolve(options.baseDir, file);
    const format = await formatOf(source, absPath, file);
    if (format === 'mbox') {
      throw new FatalError(
        'SOURCE_BAD_CONFIG',
        `${file}: an mbox among other files: set source.format to mbox, with only mbox files`,
        { file },
      );
    }
    const csvRecords = options.records ?? readCsvRecords;
    const now = options.now ?? Date.now();
    const jsonInWorker = options.jsonInWorker ?? false;
    yield* readers[format]({ config: source, absPath, file, nextSeq, csvRecords, now, jsonInWorker });
  }
}
