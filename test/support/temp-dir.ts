import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/**
 * A fresh folder `hs-import-PREFIX-XXXXXX` in the system's temp folder, removed when this test file's process
 * exits with code 0. The test runner gives each test file its own process, and CLI children a test spawns have
 * exited by then. A file with a failing test exits non-zero and keeps every folder it made, so the failure can
 * be examined (the paths are in the failing assertions or the state they name).
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hs-import-${prefix}-`));
  if (made.length === 0) process.on('exit', removeIfPassed);
  made.push(dir);
  return dir;
}

function removeIfPassed(code: number): void {
  if (code !== 0) {
    process.stderr.write(`kept for examination: ${made.join(' ')}\n`);
    return;
  }
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
}
