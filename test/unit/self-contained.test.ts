import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FOLDERS = ['src', 'test', 'bench', 'scripts'];
// Built from parts so that this file does not match itself.
const OUTSIDE = ['..', 'shared'].join('/');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs|json)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

test('no source, test or bench file reads from a folder beside the repository', () => {
  const offenders = FOLDERS.flatMap((folder) => filesUnder(path.join(ROOT, folder)))
    .filter((file) => readFileSync(file, 'utf8').includes(OUTSIDE))
    .map((file) => path.relative(ROOT, file));
  assert.deepEqual(offenders, [], `these files reach ${OUTSIDE}: copy what they read into fixtures/`);
});

test('the fixtures the tests read are in the repository', () => {
  const recordings = readdirSync(path.join(ROOT, 'fixtures/recorded-traffic')).filter((f) =>
    f.endsWith('.yml'),
  );
  assert.equal(recordings.length, 16);
  const exports = readdirSync(path.join(ROOT, 'fixtures/real-exports'));
  for (const file of [
    'tidio-messages.csv',
    'gorgias-messages.csv',
    'gorgias-conversations.csv',
    'README.md',
  ]) {
    assert.ok(exports.includes(file), `fixtures/real-exports/${file}`);
  }
});
