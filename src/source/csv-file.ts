import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { finished, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { FatalError } from '../util/errors.js';
import { Wakeup } from '../util/wakeup.js';

export interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts. */
  line: number;
}

export interface CsvReadOptions {
  delimiter: string;
  encoding: 'utf8' | 'latin1';
}

const LINE_BREAK = /\r\n|\r|\n/g;

function countLineBreaks(value: string): number {
  if (value.indexOf('\n') === -1 && value.indexOf('\r') === -1) return 0;
  return value.match(LINE_BREAK)?.length ?? 0;
}

export async function assertReadableFile(absPath: string, file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(absPath)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FatalError(
      'SOURCE_FILE_UNREADABLE',
      `${file}: cannot read the source file (${code})`,
      { file, code },
      { cause: error },
    );
  }
  if (!isFile) throw new FatalError('SOURCE_FILE_UNREADABLE', `${file}: not a file`, { file });
}

/**
 * The objects a readable stream yields, as arrays of whatever it has buffered: one await per array rather than
 * one per object (Node's own async iterator awaits for each). Throws the stream's error.
 */
export async function* bufferedChunks<T>(stream: Readable): AsyncGenerator<T[]> {
  const wakeup = new Wakeup();
  let ended = false;
  let error: Error | undefined;
  const onReadable = () => wakeup.notify();
  stream.on('readable', onReadable);
  const cleanup = finished(stream, { writable: false }, (err) => {
    ended = true;
    error = err ?? undefined;
    wakeup.notify();
  });
  try {
    for (;;) {
      const chunk: T[] = [];
      // What a stream destroyed by an error still buffers is dropped, as Node's iterator drops it.
      while (!stream.destroyed) {
        const item: T | null = stream.read();
        if (item === null) break;
        chunk.push(item);
      }
      if (chunk.length > 0) yield chunk;
      else if (error) throw error;
      else if (ended) return;
      else await wakeup.sleep();
    }
  } finally {
    stream.off('readable', onReadable);
    cleanup();
  }
}

/**
 * Streams a CSV file's records, the header first, each with the line it starts on, as arrays of records
 * parsed together. Lines are counted here rather than taken from the parser, which counts a CRLF inside a
 * quoted field as two lines. Empty lines are skipped. A quoting error is fatal: past it the parser cannot
 * tell rows apart, so going on could merge valid rows into one reject.
 */
export async function* readCsvRecords(
  absPath: string,
  file: string,
  options: CsvReadOptions,
): AsyncGenerator<CsvRecord[]> {
  await assertReadableFile(absPath, file);
  const input = createReadStream(absPath);
  const parser = parse({
    bom: true,
    delimiter: options.delimiter,
    encoding: options.encoding,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let nextLine = 1;
  try {
    for await (const chunk of bufferedChunks<string[]>(parser)) {
      const records: CsvRecord[] = [];
      for (const fields of chunk) {
        const line = nextLine;
        nextLine += 1;
        if (fields.length === 1 && fields[0] === '') continue;
        for (const field of fields) nextLine += countLineBreaks(field);
        records.push({ fields, line });
      }
      yield records;
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new FatalError(
        'SOURCE_CSV_MALFORMED',
        `${file}: malformed CSV in the record starting on line ${nextLine}: ${error.message}`,
        { file, line: nextLine, csvCode: error.code },
        { cause: error },
      );
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new FatalError(
      'SOURCE_FILE_UNREADABLE',
      `${file}: reading failed (${code ?? String(error)})`,
      { file, code },
      { cause: error },
    );
  } finally {
    input.destroy();
    parser.destroy();
  }
}
