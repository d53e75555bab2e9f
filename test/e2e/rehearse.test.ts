import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { test } from 'node:test';
import { cleanEnv, REPO_ROOT } from '../support/cli.js';
import { tempDir } from '../support/fixtures.js';

/** Starts `scripts/rehearse.ts` (what `npm run rehearse` runs after the build) and waits for the view's address. */
function rehearse(args: string[]): Promise<{ child: ChildProcess; view: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/rehearse.ts', ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Look at the rehearsal in a browser: (\S+)/.exec(out);
      if (m) resolve({ child, view: m[1] as string, output: () => out });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('close', (code) => reject(new Error(`rehearse ended (${code}) before serving:\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('close');
    child.on('close', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

test('npm run rehearse imports the demo, keeps serving the view until Ctrl-C, and --resume continues it', async () => {
  const dir = tempDir('rehearse');
  const common = ['--rate-limit', '1000000', '--dir', dir];
  const first = await rehearse(['--port', '0', ...common]);
  try {
    assert.match(first.output(), /Import finished \(exit 2\)/, 'the demo’s deliberate rejects');
    const list = await (await fetch(`${first.view}mailboxes/1`)).text();
    assert.match(list, /<p class="muted">51 conversations, oldest first/);
  } finally {
    assert.equal(await stop(first.child), 0);
  }
  // On the port the first one used (a state file belongs to one API address).
  const again = await rehearse([...common, '--resume']);
  try {
    assert.equal(new URL(again.view).port, new URL(first.view).port);
    assert.match(again.output(), /threads imported 851 \(this run 0\)/, 'nothing sent twice');
    const list = await (await fetch(`${again.view}mailboxes/1`)).text();
    assert.match(list, /<p class="muted">51 conversations, oldest first/);
  } finally {
    assert.equal(await stop(again.child), 0);
  }
});
