import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { type ExpectedThread, expectedImport } from './expected-threads.js';

export const DEMO_DIR = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));

export interface DemoFacts {
  timezone: string;
  files: string[];
  rows: number;
  validRows: number;
  rejectedRows: number;
  rejectsByField: Record<string, number>;
  conversations: number;
  threadsByConversation: Record<string, number>;
}

/** The counts the demo's README states, from its machine-readable block. */
export function demoFacts(): DemoFacts {
  const readme = readFileSync(join(DEMO_DIR, 'README.md'), 'utf8');
  const block = readme.match(/```json\n([\s\S]*?)\n```/);
  if (!block?.[1]) throw new Error('fixtures/demo/README.md has no json block');
  return JSON.parse(block[1]) as DemoFacts;
}

export function demoFiles(): string[] {
  return demoFacts().files.map((f) => join(DEMO_DIR, f));
}

/** The export's valid rows, worked out by the test's own reading of the documented rules (not src/source). */
export function validRowsOf(files: string[], timezone: string): ExpectedThread[] {
  return expectedImport(files, timezone).threads;
}

export { tempDir } from './temp-dir.js';

/** Writes an import.config.json in `dir` and returns its path. */
export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const path = join(dir, 'import.config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

export function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true, bom: true }) as Record<string, string>[];
}
