import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, REPO_ROOT, runCli } from '../support/cli.js';
import { demoFacts, readCsv, tempDir } from '../support/fixtures.js';

const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('the command line people expect', () => {
  it('--version prints the version of package.json', async () => {
    const result = await runCli(['--version'], { cwd: REPO_ROOT });
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), version);
  });

  it("each command's --help shows its own options, two examples, the exit codes and the environment", async () => {
    const help = async (command: string) => (await runCli([command, '--help'], { cwd: REPO_ROOT })).stdout;
    const importHelp = await help('import');
    assert.match(importHelp, /--concurrency <n>/);
    assert.doesNotMatch(importHelp, /--yes|--conversations|--json/);
    const status = await help('status');
    assert.match(status, /--conversations/);
    assert.doesNotMatch(status, /--concurrency|--api-url|--sample/);
    for (const text of [importHelp, status, await help('rollback'), await help('mailboxes')]) {
      const examples = text.split('Examples:\n')[1]?.split('\n\n')[0] ?? '';
      assert.equal(examples.split('\n').filter((l) => l.startsWith('  hs-import ')).length, 2, text);
      assert.match(text, /Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}130 /);
      assert.match(text, /HELPSCOUT_ACCESS_TOKEN/);
      assert.match(text, /NO_COLOR/);
    }
  });

  it("a flag's error names the flag, not the config file", async () => {
    for (const [flag, value, message] of [
      ['--concurrency', 'abc', '--concurrency: must be a whole number from 1 to 64'],
      ['--concurrency', '65', '--concurrency: must be a whole number from 1 to 64'],
      ['--mailbox', '0', '--mailbox: must be a whole number of 1 or more'],
      ['--api-url', 'http://example.com/v2/', '--api-url: must be an https URL'],
    ] as const) {
      const result = await runCli(['import', flag, value], { cwd: REPO_ROOT });
      assert.equal(result.code, 1, `${flag} ${value}`);
      assert.ok(result.stderr.startsWith(`hs-import: ${message}`), result.stderr);
      assert.doesNotMatch(result.stderr, /config\.json|target\./);
    }
  });
});

describe('hs-import mailboxes', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({});
  });
  after(() => emulator.close());

  it("lists the account's mailboxes with their ids, through the client", async () => {
    const dir = tempDir('mailboxes');
    const result = await runCli(['mailboxes', '--api-url', emulator.url, '--state', join(dir, 's.sqlite')], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '1\tSupport\tsupport@example.com\n');
    const json = await runCli(
      ['mailboxes', '--json', '--api-url', emulator.url, '--state', join(dir, 's.sqlite')],
      { cwd: dir, env: ENV },
    );
    assert.deepEqual(JSON.parse(json.stdout), [{ id: 1, name: 'Support', email: 'support@example.com' }]);
  });

  it('works with the embedded emulator', async () => {
    const dir = tempDir('mailboxes-embedded');
    const result = await runCli(['mailboxes', '--api-url', 'embedded', '--state', join(dir, 's.sqlite')], {
      cwd: dir,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^1\tSupport/);
  });
});

describe('a run you can watch, through the CLI', () => {
  const dir = tempDir('cockpit');
  const state = join(dir, 'demo.sqlite');
  const report = join(dir, 'report');
  const args = ['import', '--state', state, '--report-dir', report];

  it('debug logs every request in run.log, never a secret; summary.json has the times and the version', async () => {
    const run = await runCli([...args, '--log-level', 'debug'], { cwd: REPO_ROOT });
    assert.equal(run.code, 2, run.stderr);
    const log = readFileSync(join(report, 'run.log'), 'utf8');
    const http = log
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === 'http');
    assert.ok(http.some((l) => l.method === 'POST' && l.path === '/v2/conversations' && l.status === 201));
    for (const l of http) assert.equal(typeof l.ms, 'number');
    assert.doesNotMatch(log, /demo-app-secret|Bearer|client_secret/);
    const summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8'));
    assert.equal(summary.version, version);
    assert.ok(Date.parse(summary.startedAt) <= Date.parse(summary.finishedAt));
    assert.ok(summary.rateLimit.achievedShare <= 1, JSON.stringify(summary.rateLimit));
  });

  it('a second run says there is nothing to do', async () => {
    const again = await runCli(args, { cwd: REPO_ROOT });
    assert.match(again.stdout, /^nothing to do/);
  });

  it('status: a few lines by default, the list with --conversations, JSON with --json', async () => {
    const status = await runCli(['status', '--state', state], { cwd: REPO_ROOT });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^100% done; 0 writes left, about 0s at \d+ points\/min$/m);
    assert.match(status.stdout, /^no run in progress$/m);
    assert.ok(status.stdout.split('\n').length < 15, status.stdout);
    const json = await runCli(['status', '--json', '--state', state], { cwd: REPO_ROOT });
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.percent, 100);
    assert.equal(parsed.threads.done, demoFacts().validRows);
    assert.equal(parsed.lock, null);
    assert.deepEqual(parsed.failures, []);
  });

  it('report --links fills the number and web link of every conversation of mapping.csv', async () => {
    const out = join(dir, 'linked');
    const result = await runCli(['report', '--links', '--state', state, '--report-dir', out], {
      cwd: REPO_ROOT,
    });
    assert.equal(result.code, 0, result.stderr);
    const rows = readCsv(join(out, 'mapping.csv'));
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.match(r.helpscout_number ?? '', /^\d+$/);
      assert.ok(
        r.helpscout_url?.endsWith(`/conversation/${r.helpscout_conversation_id}/${r.helpscout_number}`),
      );
    }
    const plain = readCsv(join(report, 'mapping.csv'));
    assert.deepEqual(
      plain.map((r) => r.helpscout_number),
      plain.map(() => ''),
    );
    assert.deepEqual(
      rows.map((r) => r.source_conversation_id),
      plain.map((r) => r.source_conversation_id),
    );
  });

  it('rollback without a terminal and without --yes says to pass --yes, and deletes nothing', async () => {
    const rollback = await runCli(['rollback', '--state', state], { cwd: REPO_ROOT });
    assert.equal(rollback.code, 1);
    assert.match(rollback.stderr, /pass --yes/);
    const status = await runCli(['status', '--json', '--state', state], { cwd: REPO_ROOT });
    assert.equal(JSON.parse(status.stdout).threads.done, demoFacts().validRows);
  });
});
