import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, REPO_ROOT, runCli, spawnCli, stderrLine, waitForExit } from '../support/cli.js';
import { demoFacts, demoFiles, tempDir, validRowsOf, writeConfig } from '../support/fixtures.js';
import { checkImport, readMapping } from '../support/import-check.js';
import { keepAlive } from '../support/keep-alive.js';

describe('the README demo (`npm start`: the repo config, embedded emulator)', () => {
  const dir = tempDir('demo');
  const args = ['import', '--state', join(dir, 'demo.sqlite'), '--report-dir', join(dir, 'report')];

  it('imports the fixtures, exits 2 only for the deliberate rejects, and a second run sends no write', async () => {
    const first = await runCli(args, { cwd: REPO_ROOT });
    assert.equal(first.code, 2, first.stderr);
    assert.match(first.stdout, new RegExp(`threads imported ${demoFacts().validRows} `));
    const second = await runCli(args, { cwd: REPO_ROOT });
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stdout, /this run 0\)/);
    const summary = JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8'));
    assert.equal(summary.requests.writes, 0);
  });

  it('status reads the state file', async () => {
    const status = await runCli(['status', '--state', join(dir, 'demo.sqlite')], { cwd: REPO_ROOT });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`threads: done ${demoFacts().validRows}, pending 0, failed 0`));
    assert.match(status.stdout, /^target mailbox 1 at embedded$/m);
    assert.match(
      status.stdout,
      /source fixtures\/demo\/chats-2024\.csv: \d+ bytes, modified .*, fingerprint [0-9a-f]{32}/,
    );
  });

  it('report rewrites the report files from the state file', async () => {
    const out = join(dir, 'rewritten');
    const result = await runCli(['report', '--state', join(dir, 'demo.sqlite'), '--report-dir', out], {
      cwd: REPO_ROOT,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      readFileSync(join(out, 'mapping.csv'), 'utf8'),
      readFileSync(join(dir, 'report', 'mapping.csv'), 'utf8'),
    );
    assert.equal(
      readFileSync(join(out, 'rejects.csv'), 'utf8'),
      readFileSync(join(dir, 'report', 'rejects.csv'), 'utf8'),
    );
    assert.equal(
      JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).progress.threads.done,
      demoFacts().validRows,
    );
  });

  it('refuses another mailbox with the same state file', async () => {
    const other = await runCli([...args, '--mailbox', '2'], { cwd: REPO_ROOT });
    assert.equal(other.code, 1);
    assert.match(other.stderr, /belongs to mailbox 1/);
  });

  it("refuses to run while another live process holds the state file, and takes over a dead one's lock", async () => {
    const sleeper = spawn('sleep', ['30']);
    const db = keepAlive(new Database(join(dir, 'demo.sqlite')));
    const lock = (pid: number) =>
      keepAlive(db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lock', ?)")).run(
        JSON.stringify({ pid, host: hostname(), since: 'then' }),
      );
    try {
      lock(sleeper.pid as number);
      const held = await runCli(args, { cwd: REPO_ROOT });
      assert.equal(held.code, 1);
      assert.match(held.stderr, new RegExp(`in use by process ${sleeper.pid}`));
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
      const takenOver = await runCli(args, { cwd: REPO_ROOT });
      assert.equal(takenOver.code, 2, takenOver.stderr);
    } finally {
      sleeper.kill('SIGKILL');
      db.close();
    }
  });

  it('rollback deletes what the state file created and marks it pending again', async () => {
    const rollback = await runCli(['rollback', '--yes', '--state', join(dir, 'demo.sqlite')], {
      cwd: REPO_ROOT,
    });
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.match(rollback.stdout, /deleted \d+ conversations/);
    const status = await runCli(['status', '--state', join(dir, 'demo.sqlite')], { cwd: REPO_ROOT });
    assert.match(status.stdout, /threads: done 0, pending \d+/);
  });
});

describe('validate', () => {
  it('prints the plan and every rejected row, touches no state file, exits 2', async () => {
    const dir = tempDir('validate');
    const result = await runCli(['validate', '--state', join(dir, 'never.sqlite')], { cwd: REPO_ROOT });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stdout, /writes needed \d+; at 400 points\/min/);
    assert.match(
      result.stdout,
      /^in doubt: .* sent again only 10 minutes after it was first sent \(reconcile\.resendAfterSeconds 600\)/m,
    );
    assert.equal(result.stdout.match(/^rejected: /gm)?.length, demoFacts().rejectedRows);
    assert.match(result.stdout, /fixtures\/demo\/chats-2024\.csv row 79 \(line 98\) created_at/);
    assert.equal(existsSync(join(dir, 'never.sqlite')), false);
  });

  it('import without a mailbox for a real account is refused before any work', async () => {
    const dir = tempDir('nomailbox');
    const config = writeConfig(dir, {
      source: { files: demoFiles(), timezone: 'Europe/Paris' },
      target: { apiUrl: 'https://api.helpscout.net/v2/' },
      state: join(dir, 'state.sqlite'),
    });
    const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /mailboxId is required/);
    assert.equal(existsSync(join(dir, 'hs-import-report')), false);
  });

  it('a bad config exits 1 naming the key', async () => {
    const dir = tempDir('badconfig');
    const config = writeConfig(dir, { source: { files: [] }, target: { mailbox: 1 } });
    const result = await runCli(['validate', '--config', config], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /target: .*"mailbox"/);
  });
});

describe('hs-import emulator', () => {
  it('serves the API until SIGTERM', async () => {
    const child = spawnCli(['emulator', '--port', '0'], { cwd: REPO_ROOT });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = chunk.toString().match(/listening at (\S+)/);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error('emulator exited')));
    });
    const res = await fetch(`${url}oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-app-id&client_secret=demo-app-secret',
    });
    assert.equal(res.status, 200);
    const exit = waitForExit(child);
    child.kill('SIGTERM');
    assert.equal((await exit).code, 0);
  });
});

/** Waits until the import is sending (some threads stored), however slow the machine is to start it. */
async function sendingHasStarted(emulator: Emulator): Promise<void> {
  const threads = () => emulator.state().conversations.reduce((n, c) => n + c.threads.length, 0);
  for (let waited = 0; threads() < 20; waited += 50) {
    if (waited > 60_000) throw new Error('the import never started sending');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The demo export, per thread (many writes, so a stop lands mid-run), against `emulator`. */
function stopTestConfig(dir: string, emulator: Emulator, concurrency: number): string {
  return writeConfig(dir, {
    source: { files: demoFiles(), timezone: demoFacts().timezone },
    target: { apiUrl: emulator.url, mailboxId: 1 },
    strategy: 'per-thread',
    concurrency,
    state: join(dir, 'state.sqlite'),
    reportDir: join(dir, 'report'),
    reconcile: { searchRetries: 1, searchDelayMs: 10, resendAfterSeconds: 2 },
    logLevel: 'warn',
  });
}

/** Reruns the stopped import without faults: it must finish with every valid thread exactly once. */
async function rerunCompletesExactlyOnce(dir: string, config: string, emulator: Emulator): Promise<void> {
  emulator.setFaults(undefined);
  const rerun = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
  assert.equal(rerun.code, 2, rerun.stderr);
  const valid = validRowsOf(demoFiles(), demoFacts().timezone);
  assert.deepEqual(checkImport(emulator.state(), valid, readMapping(join(dir, 'report', 'mapping.csv'))), []);
}

describe('stopping', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, faults: { latencyMs: [150, 150] } });
  });
  after(() => emulator.close());

  it('SIGINT finishes what is in flight and exits 130; the rerun completes exactly once', async () => {
    const dir = tempDir('sigint');
    const facts = demoFacts();
    const config = stopTestConfig(dir, emulator, 2);
    const child = spawnCli(['import', '--config', config], { cwd: dir, env: ENV });
    const exit = waitForExit(child);
    await sendingHasStarted(emulator);
    child.kill('SIGINT');
    const stopped = await exit;
    assert.equal(stopped.code, 130, stopped.stderr);
    const threadsSoFar = emulator.state().conversations.reduce((n, c) => n + c.threads.length, 0);
    assert.ok(threadsSoFar > 0 && threadsSoFar < facts.validRows, `stopped midway (${threadsSoFar})`);

    await rerunCompletesExactlyOnce(dir, config, emulator);
  });

  it('a second signal stops at once; what was in flight is resolved by the next run', async () => {
    const dir = tempDir('sigint2');
    const fresh = await startEmulator({ rateLimitPerMinute: 1_000_000, faults: { latencyMs: [400, 400] } });
    try {
      const config = stopTestConfig(dir, fresh, 4);
      const child = spawnCli(['import', '--config', config], { cwd: dir, env: ENV });
      const exit = waitForExit(child);
      await sendingHasStarted(fresh);
      // The second signal follows the importer's own word that it took the first, not a pause.
      const tookFirst = stderrLine(child, /finishing what is in flight/);
      child.kill('SIGINT');
      await tookFirst;
      child.kill('SIGINT');
      const stopped = await exit;
      assert.equal(stopped.code, 130, stopped.stderr);
      assert.match(stopped.stderr, /again, stopping now/);
      await rerunCompletesExactlyOnce(dir, config, fresh);
    } finally {
      await fresh.close();
    }
  });
});
