import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateExport, prng } from '../test/support/generate-export.js';

/** Everything the bench writes besides results.json lives here, never in the repository. */
export const BENCH_TMP = join(tmpdir(), 'hs-import-bench');

/** A fresh folder for one run's state and report. */
export function scratchDir(prefix: string): string {
  mkdirSync(BENCH_TMP, { recursive: true });
  return mkdtempSync(join(BENCH_TMP, `${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface GeneratedExport {
  path: string;
  rows: number;
  conversations: number;
}

/**
 * Thread counts of `count` conversations drawn uniformly from `[low, high]`, seeded: the same arguments
 * give the same export.
 */
export function uniformSizes(seed: number, count: number, [low, high]: [number, number]): number[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => low + Math.floor(random() * (high - low + 1)));
}

/**
 * Generated exports are seeded, so one already on disk under the same options is the same file: it is
 * reused (written under a temporary name first, so an interrupted generation is never taken for a finished one).
 */
export async function cachedExport(
  name: string,
  options: { seed: number; fixed?: number[]; minThreads: number; threadsPer?: [number, number] },
): Promise<GeneratedExport> {
  mkdirSync(BENCH_TMP, { recursive: true });
  const key = createHash('sha1').update(JSON.stringify(options)).digest('hex').slice(0, 10);
  const path = join(BENCH_TMP, `${name}-${key}.csv`);
  const countsFile = `${path}.json`;
  if (existsSync(path) && existsSync(countsFile)) {
    const counts = JSON.parse(readFileSync(countsFile, 'utf8')) as { rows: number; conversations: number };
    return { path, ...counts };
  }
  const partial = `${path}.partial`;
  const counts = await generateExport(partial, options);
  renameSync(partial, path);
  writeFileSync(countsFile, JSON.stringify(counts));
  return { path, ...counts };
}

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
