import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { tempDir, writeConfig } from '../support/fixtures.js';
import { writesReceived } from '../support/import-check.js';

const EXPORT = `conversation_id,created_at,text,author_role,customer_email
c1,2025-03-01T09:00:00Z,Hello,customer,ana@example.com
c1,2025-03-01T09:05:00Z,Hi Ana,agent,
c2,2025-03-02T10:00:00Z,Do you ship to Norway?,customer,ola@example.no
`;

/** What an operator gets wrong on a first try, through the built CLI: each is said before any work. */
describe('an operator’s first mistakes', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  const setUp = (mailboxId: number) => {
    const dir = tempDir('mistakes');
    writeFileSync(join(dir, 'export.csv'), EXPORT);
    const config = writeConfig(dir, {
      source: { files: ['export.csv'] },
      target: { apiUrl: emulator.url, mailboxId },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
    });
    return { dir, config };
  };

  it('no credentials: refused before the export is read, no state file made', async () => {
    const { dir, config } = setUp(1);
    const result = await runCli(['import', '--config', config], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No credentials: set HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET/);
    assert.doesNotMatch(result.stderr, /source\.reading/);
    assert.equal(existsSync(join(dir, 'state.sqlite')), false);
  });

  it('a mailbox not in the account: refused before any write, and the state file may then name the right one', async () => {
    const { dir, config } = setUp(99);
    const before = writesReceived(emulator);
    const wrong = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(
      wrong.stderr,
      /Mailbox 99 is not in this Help Scout account .*nothing was staged or sent.*hs-import mailboxes/,
    );
    assert.equal(writesReceived(emulator), before, 'nothing sent');
    const right = await runCli(['import', '--config', config, '--mailbox', '1'], { cwd: dir, env: ENV });
    assert.equal(right.code, 0, right.stderr);
    assert.equal(writesReceived(emulator) - before, 2);
    // Once something is sent, the state file stays with its mailbox.
    const other = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(other.code, 1);
    assert.match(other.stderr, /belongs to mailbox 1 at/);
  });

  it('without a terminal, stderr has one readable line per event; run.log keeps the JSON', async () => {
    const { dir, config } = setUp(1);
    const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.ok(lines.length >= 3, result.stderr);
    for (const line of lines) assert.match(line, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] (INFO|WARN): /, line);
    assert.ok(lines.some((l) => l.includes('"event":"run.finished"')));
    const log = readFileSync(join(dir, 'report', 'run.log'), 'utf8')
      .trim()
      .split('\n');
    assert.ok(log.length >= lines.length);
    for (const line of log) assert.equal(typeof JSON.parse(line).level, 'number');
  });

  it('--log-level debug logs the token request too, never its secret', async () => {
    const { dir, config } = setUp(1);
    const result = await runCli(['import', '--config', config, '--log-level', 'trace'], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(result.code, 0, result.stderr);
    const log = readFileSync(join(dir, 'report', 'run.log'), 'utf8');
    const http = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.event === 'http');
    assert.deepEqual(
      http.slice(0, 2).map((e) => [e.method, e.path, e.status]),
      [
        ['POST', '/v2/oauth2/token', 200],
        ['GET', '/v2/mailboxes/1', 200],
      ],
    );
    assert.doesNotMatch(log + result.stderr, /demo-app-secret|client_secret=/);
    assert.doesNotMatch(JSON.stringify(http[0].responseBody), /"access_token":"(?!\[)/);
  });
});
