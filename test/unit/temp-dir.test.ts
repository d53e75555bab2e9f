import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cleanEnv } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

const HELPER = new URL('../support/temp-dir.ts', import.meta.url).href;

/** A process that makes two folders with tempDir() under `tmp`, then exits with `code`; the folders it made. */
function processExiting(code: number, tmp: string): string[] {
  const script = `const { tempDir } = await import(${JSON.stringify(HELPER)});
    console.log(JSON.stringify([tempDir('a'), tempDir('b')]));
    process.exitCode = ${code};`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...cleanEnv(), TMPDIR: tmp },
    encoding: 'utf8',
  });
  assert.equal(child.status, code, child.stderr);
  const made = JSON.parse(child.stdout) as string[];
  for (const dir of made) assert.ok(dir.startsWith(tmp), `${dir} is under ${tmp}`);
  return made;
}

describe('tempDir', () => {
  it('removes its folders when the process exits with code 0', () => {
    const tmp = tempDir('temp-dir-passed');
    const made = processExiting(0, tmp);
    assert.equal(made.length, 2);
    for (const dir of made) assert.equal(existsSync(dir), false, `${dir} removed`);
  });

  it('keeps them when the process fails, so the failure can be examined', () => {
    const tmp = tempDir('temp-dir-failed');
    const made = processExiting(1, tmp);
    for (const dir of made) assert.equal(existsSync(dir), true, `${dir} kept`);
  });
});
