import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { checkReportDir, writeReports } from '../../src/report/write-reports.js';
import { stageSource } from '../../src/run/stage.js';
import { readSource } from '../../src/source/index.js';
import { reportRowsOf } from '../../src/state/report-rows.js';
import { neutraliseCell, restoreCell } from '../../src/util/cells.js';
import { HsImportError } from '../../src/util/errors.js';
import { memoryStore } from '../support/keep-alive.js';
import { tempDir } from '../support/temp-dir.js';

const root = tempDir('report-files');

/** Stages `file` of `dir` in a fresh store and writes its reports into `dir/report`. */
async function reportsOf(dir: string, file: string): Promise<string> {
  const store = memoryStore();
  const source = sourceSchema.parse({ files: [file] });
  await stageSource(store, readSource(source, { baseDir: dir }), 1);
  const reportDir = path.join(dir, 'report');
  writeReports(reportRowsOf(store), reportDir, { ok: true });
  return reportDir;
}

// Every row is rejected (no date), with cells a spreadsheet would run as formulas, and some already quoted.
const CELLS = [
  '=HYPERLINK("http://evil")',
  '+1 555',
  '-5',
  '@SUM(A1)',
  "'=already",
  "''+twice",
  "'plain",
  'a\nb',
];
const EXPORT =
  'conversation_id,created_at,text\r\n' +
  CELLS.map((cell, i) => `c${i},,"${cell.replace(/"/g, '""')}"`).join('\r\n') +
  '\r\n';

test('neutraliseCell and restoreCell undo each other exactly', () => {
  for (const cell of [...CELLS, '', "'", "''", '\t=x', '\r=x', 'x=1', "'-"]) {
    assert.equal(restoreCell(neutraliseCell(cell)), cell, JSON.stringify(cell));
  }
  assert.equal(neutraliseCell('=1+1'), "'=1+1");
  assert.equal(neutraliseCell("'=1+1"), "''=1+1");
  assert.equal(neutraliseCell('1+1'), '1+1');
  // A real export's leading quote is not touched by a reading that is not of a report.
  assert.equal(restoreCell("'plain"), "'plain");
});

test('reports are private and their cells never run as formulas', async () => {
  const dir = path.join(root, 'first');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'chats.csv'), EXPORT);
  const reportDir = await reportsOf(dir, 'chats.csv');
  assert.equal(statSync(reportDir).mode & 0o777, 0o700);
  for (const name of ['mapping.csv', 'rejects.csv', 'summary.json'])
    assert.equal(statSync(path.join(reportDir, name)).mode & 0o777, 0o600, name);
  const rejects = readFileSync(path.join(reportDir, 'rejects.csv'), 'utf8');
  for (const line of rejects.split('\r\n').slice(1, -1)) {
    const text = line.split(',')[2] ?? '';
    assert.doesNotMatch(text, /^"?[=+\-@]/, line);
  }
  assert.match(rejects, /"'=HYPERLINK\(""http:\/\/evil""\)"/);
});

test('a rejects.csv fed back as the source gives the same rejects.csv, byte for byte', async () => {
  const first = path.join(root, 'round-1');
  const second = path.join(root, 'round-2');
  mkdirSync(first);
  mkdirSync(second);
  writeFileSync(path.join(first, 'chats.csv'), EXPORT);
  const written = readFileSync(path.join(await reportsOf(first, 'chats.csv'), 'rejects.csv'));
  writeFileSync(path.join(second, 'chats.csv'), written);
  const again = readFileSync(path.join(await reportsOf(second, 'chats.csv'), 'rejects.csv'));
  assert.equal(again.toString('utf8'), written.toString('utf8'));
  // And the rows read from it are the export's own cells.
  const items = [];
  for await (const item of readSource(sourceSchema.parse({ files: ['chats.csv'] }), { baseDir: second }))
    items.push(item);
  assert.deepEqual(
    items.map((item) => (item.kind === 'reject' ? item.reject.raw.text : '')),
    CELLS,
  );
});

function refused(dir: string, message: RegExp): void {
  assert.throws(
    () => checkReportDir(dir),
    (error: unknown) => error instanceof HsImportError && message.test(error.message),
  );
}

test('a report folder that cannot be written is found before anything is sent', () => {
  const file = path.join(root, 'a-file');
  writeFileSync(file, 'x');
  refused(file, /a-file: is a file, not a folder/);
  refused(path.join(file, 'below'), /cannot be created \(ENOTDIR\)/);
  const folderInPlace = path.join(root, 'folder-in-place');
  mkdirSync(path.join(folderInPlace, 'rejects.csv'), { recursive: true });
  refused(folderInPlace, /rejects\.csv is in the place of a report but is not a file/);
  const fresh = path.join(root, 'fresh', 'report');
  checkReportDir(fresh);
  assert.equal(statSync(fresh).mode & 0o777, 0o700);
  if (process.getuid?.() !== 0) {
    // root writes into a read-only folder anyway: only checked as another user.
    const readOnly = path.join(root, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    refused(readOnly, /read-only: cannot be written \(EACCES\)/);
  }
});
