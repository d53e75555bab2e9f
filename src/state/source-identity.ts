import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StateStore } from './store.js';

export interface SourceFileIdentity {
  file: string;
  size: number;
  modified: string;
  /** sha256 of the first and last 64 KiB: tells files apart without reading gigabytes. */
  fingerprint: string;
}

const SAMPLE = 64 * 1024;

export function identifySourceFiles(files: readonly string[], baseDir: string): SourceFileIdentity[] {
  return files.map((file) => {
    const path = resolve(baseDir, file);
    const stat = statSync(path);
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(SAMPLE, stat.size));
      hash.update(buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)));
      if (stat.size > SAMPLE) {
        const tail = Buffer.alloc(Math.min(SAMPLE, stat.size - SAMPLE));
        hash.update(tail.subarray(0, readSync(fd, tail, 0, tail.length, stat.size - tail.length)));
      }
    } finally {
      closeSync(fd);
    }
    return {
      file,
      size: stat.size,
      modified: stat.mtime.toISOString(),
      fingerprint: hash.digest('hex').slice(0, 32),
    };
  });
}

/**
 * Records which source files this run read; returns the files that differ from the previous run's (a rerun
 * with a longer export is normal, and is logged so that a wrong file is noticed).
 */
export function recordSourceIdentity(store: StateStore, identity: SourceFileIdentity[]): string[] {
  const previous = store.getMeta('source');
  store.setMeta('source', JSON.stringify(identity));
  if (!previous) return [];
  const before = new Map((JSON.parse(previous) as SourceFileIdentity[]).map((f) => [f.file, f]));
  return identity
    .filter((f) => {
      const old = before.get(f.file);
      return !old || old.size !== f.size || old.fingerprint !== f.fingerprint;
    })
    .map((f) => f.file);
}
