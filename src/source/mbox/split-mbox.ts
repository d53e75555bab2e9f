import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FatalError } from '../../util/errors.js';

/** One message of an mbox file: its bytes as written (minus the `From ` line), `>From ` unescaped. */
export interface RawMessage {
  /** 1-based number of the message in its file. */
  index: number;
  /** 1-based line of its `From ` separator. */
  line: number;
  /** The `From ` separator line itself (sender and date as the mail system wrote them). */
  separator: string;
  bytes: Buffer;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const FROM_ = Buffer.from('From ');

/** Length of a line without its `\n` or `\r\n`. */
function contentLength(line: Buffer): number {
  let end = line.length;
  if (end > 0 && line[end - 1] === NEWLINE) end -= 1;
  if (end > 0 && line[end - 1] === CR) end -= 1;
  return end;
}

function startsWithFrom(line: Buffer, offset: number): boolean {
  return (
    line.length - offset >= FROM_.length &&
    line.compare(FROM_, 0, FROM_.length, offset, offset + FROM_.length) === 0
  );
}

/** `>From `, `>>From `…: written by mboxrd/mboxo writers for a body line that began with `From `. */
function isEscapedFrom(line: Buffer): boolean {
  let offset = 0;
  while (line[offset] === GT) offset += 1;
  return offset > 0 && startsWithFrom(line, offset);
}

/**
 * Splits the lines of an mbox into messages. A message starts at a `From ` line at the top of the file or after
 * an empty line (the mbox convention; a `From ` line inside a paragraph is body text). `Content-Length`
 * headers are not trusted: they are often stale after a mail client has rewritten the file.
 */
class MessageSplitter {
  private parts: Buffer[] = [];
  private start = 0;
  private separator = '';
  private index = 0;
  private lineNo = 0;
  private previousBlank = true;

  constructor(private readonly file: string) {}

  /** Takes one line with its terminator; returns the message it completes, if any. */
  push(line: Buffer): RawMessage | undefined {
    this.lineNo += 1;
    const length = contentLength(line);
    let done: RawMessage | undefined;
    if (this.previousBlank && startsWithFrom(line, 0)) {
      done = this.finish();
      this.index += 1;
      this.start = this.lineNo;
      this.separator = line.toString('latin1', 0, length);
      this.previousBlank = false;
      return done;
    }
    if (this.index === 0) {
      if (length === 0) return undefined;
      throw new FatalError(
        'SOURCE_MBOX_MALFORMED',
        `${this.file}: not an mbox file: line ${this.lineNo} comes before any "From " separator line`,
        { file: this.file, line: this.lineNo },
      );
    }
    this.parts.push(isEscapedFrom(line) ? line.subarray(1) : line);
    this.previousBlank = length === 0;
    return undefined;
  }

  /** The message read so far, without the empty line that separates it from the next `From ` line. */
  finish(): RawMessage | undefined {
    if (this.index === 0) return undefined;
    if (this.previousBlank && this.parts.length > 0) this.parts.pop();
    const message = {
      index: this.index,
      line: this.start,
      separator: this.separator,
      bytes: Buffer.concat(this.parts),
    };
    this.parts = [];
    return message;
  }
}

/** Streams the messages of an mbox file, LF or CRLF, one at a time: the file is never held whole. */
export async function* splitMbox(absPath: string, file: string): AsyncGenerator<RawMessage> {
  try {
    if (!(await stat(absPath)).isFile()) throw new Error('not a file');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FatalError('SOURCE_FILE_UNREADABLE', `${file}: cannot read the source file (${code})`, {
      file,
      code,
    });
  }
  const splitter = new MessageSplitter(file);
  let carry: Buffer | undefined;
  try {
    for await (const chunk of createReadStream(absPath, {
      highWaterMark: 256 * 1024,
    }) as AsyncIterable<Buffer>) {
      let from = 0;
      let newline = chunk.indexOf(NEWLINE, from);
      while (newline !== -1) {
        let line = chunk.subarray(from, newline + 1);
        if (carry) {
          line = Buffer.concat([carry, line]);
          carry = undefined;
        }
        const message = splitter.push(line);
        if (message) yield message;
        from = newline + 1;
        newline = chunk.indexOf(NEWLINE, from);
      }
      if (from < chunk.length) {
        const rest = chunk.subarray(from);
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
      }
    }
  } catch (error) {
    if (error instanceof FatalError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FatalError('SOURCE_FILE_UNREADABLE', `${file}: reading failed (${code})`, { file, code });
  }
  if (carry) {
    const message = splitter.push(carry);
    if (message) yield message;
  }
  const last = splitter.finish();
  if (last) yield last;
}
