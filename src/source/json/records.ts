import { constants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type Duplex, pipeline, type Readable } from 'node:stream';
import parserStream from 'stream-json';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import streamValues from 'stream-json/streamers/stream-values.js';
import { FatalError } from '../../util/errors.js';
import { assertReadableFile, bufferedChunks } from '../csv-file.js';

/** One record of a JSON or JSONL file, parsed, or the text that did not parse. */
export interface JsonRecord {
  /** 1-based record number in the file. */
  row: number;
  /** 1-based line (JSONL); 0 in a JSON document, where the index (in `at`) finds it. */
  line: number;
  /** JSON path of the record: `$` for a JSONL line, `$[4]` or `$.tickets[4]` in a document. */
  at: string;
  value?: unknown;
  /** Why the line is no JSON, with the line as read. */
  invalid?: { reason: string; text: string };
}

const LINES_PER_CHUNK = 256;

/**
 * Part of a JSONL file, in bytes: `start` is 0 or just after a line feed, `end` (excluded) just after one or
 * the file's end (lineRanges). Lines and records are numbered from 1 within it; `read` counts them, so the
 * numbers of a later range can be moved on by those of the ranges before it.
 */
export interface LineRange {
  start: number;
  end: number;
  read: { lines: number; records: number };
}

const NEWLINE = 0x0a;

/**
 * A JSONL file (or a range of it) line by line (LF or CRLF), decoded as UTF-8 and parsed; blank lines are
 * skipped. Lines are found as bytes and each is decoded on its own: a newline byte is never part of a UTF-8
 * sequence and ends any broken one, so this gives the text decoding the whole file would, for a third of the
 * cost of decoding chunks and searching the text.
 */
export async function* readJsonLines(
  absPath: string,
  file: string,
  range?: LineRange,
): AsyncGenerator<JsonRecord[]> {
  await assertReadableFile(absPath, file);
  const fileStart = (range?.start ?? 0) === 0;
  /** The bytes of the line under way, from earlier chunks. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const hold = (bytes: Buffer) => {
    pendingBytes += bytes.length;
    // A line no string could hold (3 bytes make a character at least) would only fill the memory.
    if (pendingBytes > 3 * constants.MAX_STRING_LENGTH) throw new RangeError('Invalid string length');
    pending.push(bytes);
  };
  const heldLine = (): string => {
    const text = Buffer.concat(pending).toString('utf8');
    pending = [];
    pendingBytes = 0;
    return text;
  };
  let line = 0;
  let row = 0;
  const parse = (lineText: string, out: JsonRecord[]) => {
    line += 1;
    if (range) range.read.lines = line;
    const text = lineText.endsWith('\r') ? lineText.slice(0, -1) : lineText;
    const bom = fileStart && line === 1 && text.charCodeAt(0) === 0xfeff;
    const trimmed = bom ? text.slice(1).trim() : text.trim();
    if (trimmed === '') return;
    row += 1;
    if (range) range.read.records = row;
    try {
      out.push({ row, line, at: '$', value: JSON.parse(trimmed) });
    } catch (error) {
      out.push({ row, line, at: '$', invalid: { reason: (error as Error).message, text } });
    }
  };
  let tail: string;
  try {
    const bytes = range && { start: range.start, end: range.end - 1 };
    // An empty range (end − 1 < start) would read to the file's end.
    const stream =
      range && range.end <= range.start
        ? []
        : createReadStream(absPath, { ...bytes, highWaterMark: 256 * 1024 });
    for await (const read of stream) {
      const chunk = read as Buffer;
      let start = 0;
      let records: JsonRecord[] = [];
      for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        if (pending.length === 0) parse(chunk.toString('utf8', start, end), records);
        else {
          hold(chunk.subarray(start, end));
          parse(heldLine(), records);
        }
        start = end + 1;
        if (records.length >= LINES_PER_CHUNK) {
          yield records;
          records = [];
        }
      }
      if (start < chunk.length) hold(chunk.subarray(start));
      if (records.length > 0) yield records;
    }
    tail = heldLine();
  } catch (error) {
    throw unreadable(file, error);
  }
  // A file ending in a line feed has no line after it (a range always ends so, but the file's last).
  if (tail === '') return;
  const last: JsonRecord[] = [];
  parse(tail, last);
  if (last.length > 0) yield last;
}

/**
 * Cuts a JSONL file into about `parts` ranges of bytes, each starting on a line, so that several threads can
 * read it at once. Fewer when the file has fewer lines; one (the whole file) when `parts` is 1.
 */
export async function lineRanges(absPath: string, parts: number): Promise<LineRange[]> {
  const handle = await open(absPath, 'r');
  try {
    const { size } = await handle.stat();
    const starts = [0];
    for (let k = 1; k < parts; k++) {
      const from = Math.max(Math.floor((size * k) / parts), starts[starts.length - 1] as number);
      const next = await nextLineStart(handle, from, size);
      if (next < size && next > (starts[starts.length - 1] as number)) starts.push(next);
    }
    return starts.map((start, i) => ({
      start,
      end: starts[i + 1] ?? size,
      read: { lines: 0, records: 0 },
    }));
  } finally {
    await handle.close();
  }
}

/** The offset just after the first line feed at or after `from − 1` (a line's start), or `size`. */
async function nextLineStart(handle: FileHandle, from: number, size: number): Promise<number> {
  const window = Buffer.alloc(64 * 1024);
  for (let at = Math.max(from - 1, 0); at < size; at += window.length) {
    const { bytesRead } = await handle.read(window, 0, window.length, at);
    const lf = window.subarray(0, bytesRead).indexOf(0x0a);
    if (lf !== -1) return at + lf + 1;
    if (bytesRead === 0) break;
  }
  return size;
}

function unreadable(file: string, error: unknown): FatalError {
  if (error instanceof FatalError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new FatalError(
    'SOURCE_FILE_UNREADABLE',
    `${file}: reading failed (${code ?? String(error)})`,
    { file, code },
    { cause: error },
  );
}

/** The first character that is not white space (or a byte order mark), or '' for an empty file. */
export async function firstCharacter(absPath: string): Promise<string> {
  for await (const chunk of createReadStream(absPath, { encoding: 'utf8', highWaterMark: 4096 })) {
    const match = /[^\s\ufeff]/.exec(chunk as string);
    if (match) return match[0];
  }
  return '';
}

/**
 * A JSON document streamed record by record through stream-json, never whole in memory: the elements of a
 * top-level array, of the array at `recordsPath` inside a top-level object, or else each top-level value.
 * Malformed JSON is run-fatal: past it the parser cannot find the next record.
 */
export async function* readJsonDocument(
  absPath: string,
  file: string,
  recordsPath: string | undefined,
): AsyncGenerator<JsonRecord[]> {
  await assertReadableFile(absPath, file);
  const first = await firstCharacter(absPath);
  const stages: (Readable | Duplex)[] = [createReadStream(absPath), parserStream({ jsonStreaming: true })];
  let prefix = '$';
  if (first === '{' && recordsPath !== undefined) {
    stages.push(pick.asStream({ filter: recordsPath }), streamArray.asStream());
    prefix = `$.${recordsPath}`;
  } else if (first === '[') stages.push(streamArray.asStream());
  else stages.push(streamValues.asStream());
  const last = stages[stages.length - 1] as Duplex;
  const isArray = stages.length > 3 || first === '[';
  pipeline(stages, () => {});
  let row = 0;
  try {
    for await (const chunk of bufferedChunks<{ key: number; value: unknown }>(last)) {
      yield chunk.map(({ key, value }) => {
        row += 1;
        return { row, line: 0, at: isArray ? `${prefix}[${key}]` : prefix, value };
      });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw unreadable(file, error);
    throw new FatalError(
      'SOURCE_JSON_MALFORMED',
      `${file}: malformed JSON after record ${row}: ${(error as Error).message}`,
      { file, record: row },
      { cause: error },
    );
  } finally {
    for (const stage of stages) stage.destroy();
  }
}
