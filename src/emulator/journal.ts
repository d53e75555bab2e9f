import fs from 'node:fs';
import path from 'node:path';
import type { Mutation } from './mutations.js';

/** The data file is not a journal this emulator wrote (a user's mistake, not a bug). */
export class CorruptDataFileError extends Error {}

/**
 * Append-only JSONL journal of mutations. Each line is written synchronously before the request is answered,
 * so a kill -9 of the embedding process loses nothing that was acknowledged. On open, a torn last line
 * (a crash mid-write) is cut off so the next append starts on a clean line.
 */
export class Journal {
  private fd: number | undefined;

  private constructor(
    readonly file: string,
    readonly entries: Mutation[],
  ) {}

  static open(file: string): Journal {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const entries: Mutation[] = [];
    let goodBytes = 0;
    if (fs.existsSync(file)) {
      const bytes = fs.readFileSync(file);
      let start = 0;
      while (start < bytes.length) {
        const end = bytes.indexOf(0x0a, start);
        if (end === -1) break; // torn last line: never acknowledged
        const line = bytes.subarray(start, end).toString('utf8');
        if (line.trim() !== '') {
          try {
            entries.push(JSON.parse(line) as Mutation);
          } catch (cause) {
            throw new CorruptDataFileError(`emulator data file ${file} is corrupt at byte ${start}`, {
              cause,
            });
          }
        }
        start = end + 1;
        goodBytes = start;
      }
      if (goodBytes < fs.statSync(file).size) fs.truncateSync(file, goodBytes);
    }
    const journal = new Journal(file, entries);
    // It holds customers' messages: private to its owner, like the state file beside it.
    journal.fd = fs.openSync(file, 'a', 0o600);
    fs.chmodSync(file, 0o600);
    return journal;
  }

  append(m: Mutation): void {
    if (this.fd === undefined) throw new Error('emulator journal is closed');
    fs.writeSync(this.fd, `${JSON.stringify(m)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
