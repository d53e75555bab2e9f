import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCli, spawnCli, waitForExit } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

// Spawns the built CLI: `npm test` builds it first (`npm run build` when running this file alone).
describe('hs-import emulator: a bad flag is one line naming it, exit 1', () => {
  const dir = tempDir('emu-flags');
  const notAJournal = join(dir, 'data.jsonl');
  writeFileSync(notAJournal, 'this is not a journal\n');
  const cases: [string[], RegExp][] = [
    [['--port', 'abc'], /^hs-import: --port must be a whole number from 0 to 65535, got "abc"$/],
    [['--port', '70000'], /^hs-import: --port .*"70000"$/],
    [['--port', '-1'], /^hs-import: --port .*"-1"$/],
    [['--rate-limit', 'fast'], /^hs-import: --rate-limit must be a whole number .*"fast"$/],
    [['--rate-limit', '0'], /^hs-import: --rate-limit .*"0"$/],
    [['--profile', 'worst'], /^hs-import: --profile must be optimistic or pessimistic, got "worst"$/],
    [['--faults', '{'], /^hs-import: --faults must be JSON/],
    [['--options', '[1]'], /^hs-import: --options must be a JSON object/],
    [['--options', '{"searchLag":1}'], /^hs-import: --options: unknown option searchLag \(known: /],
    [['--options', '{"searchLagMs":-1}'], /^hs-import: --options: searchLagMs must be 0 or more, got -1$/],
    [['--options', '{"tooOldBefore":"2020-01-01"}'], /^hs-import: --options: tooOldBefore must be /],
    [
      ['--options', '{"tokenFaults":{"script":["404"]}}'],
      /^hs-import: --options: tokenFaults\.script\[0\] must be /,
    ],
    [['--data', notAJournal], /^hs-import: --data: emulator data file .* is corrupt at byte 0$/],
  ];
  for (const [args, expected] of cases) {
    it(args.join(' '), async () => {
      const result = await runCli(['emulator', ...args], { cwd: REPO_ROOT });
      assert.equal(result.code, 1, result.stderr);
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line, no stack trace:\n${result.stderr}`);
      assert.match(lines[0] ?? '', expected);
      assert.equal(result.stdout, '');
    });
  }
});

describe('hs-import emulator --profile pessimistic', () => {
  it('starts with the worse answers and says so', async () => {
    const child = spawnCli(
      ['emulator', '--port', '0', '--profile', 'pessimistic', '--options', '{"tokenFaults":{}}'],
      {
        cwd: REPO_ROOT,
      },
    );
    const exit = waitForExit(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = chunk.toString().match(/\(pessimistic profile\) listening at (\S+)/);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error('emulator exited')));
    });
    try {
      const token = await fetch(`${url}oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=demo-app-id&client_secret=demo-app-secret',
      });
      assert.equal(token.status, 200, '--options overrides the profile (no token faults)');
      const { access_token } = (await token.json()) as { access_token: string };
      const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
      const big = JSON.stringify({ customer: { id: 501 }, text: 'x'.repeat(102_400) });
      const res = await fetch(`${url}conversations/1/chats`, { method: 'POST', headers, body: big });
      assert.equal(res.status, 413, 'the 100 KB thread limit');
    } finally {
      child.kill('SIGTERM');
      assert.equal((await exit).code, 0);
    }
  });
});
