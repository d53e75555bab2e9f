import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { tempDir, writeConfig } from '../support/fixtures.js';

/**
 * Stands between the importer and the emulator and, when the first conversation is created, puts a file in
 * the report folder's place: the reports can no longer be written once something was sent.
 */
function proxyThat(target: string, onFirstCreate: () => void): Promise<Server> {
  let created = false;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!created && req.method === 'POST' && req.url?.startsWith('/v2/conversations')) {
      created = true;
      onFirstCreate();
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const answer = await fetch(new URL(req.url ?? '/', target), {
      method: req.method ?? 'GET',
      headers,
      ...(body && req.method !== 'GET' ? { body } : {}),
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding')
        out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('a report write that fails after sending', () => {
  let emulator: Emulator;
  let proxy: Server;
  const dir = tempDir('report-after-send');
  const reportDir = join(dir, 'report');

  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
    proxy = await proxyThat(emulator.url, () => {
      rmSync(reportDir, { recursive: true, force: true });
      writeFileSync(reportDir, 'in the way\n');
    });
  });
  after(async () => {
    proxy.close();
    await emulator.close();
  });

  it('says the data is safe, and `report` writes the reports again', async () => {
    writeFileSync(
      join(dir, 'chats.csv'),
      'conversation_id,created_at,text,customer_email\nc1,2024-03-05T10:00:00Z,hello,jess@example.com\n',
    );
    const { port } = proxy.address() as AddressInfo;
    const config = writeConfig(dir, {
      source: { files: ['chats.csv'] },
      target: { apiUrl: `http://127.0.0.1:${port}${new URL(emulator.url).pathname}`, mailboxId: 1 },
      state: 'state.sqlite',
      reportDir: 'report',
      logLevel: 'error',
    });
    const run = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /reports could not be written to .*report .*The data is safe.*hs-import report/);
    assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/);
    assert.equal(emulator.state().conversations.length, 1, 'the conversation was sent');

    rmSync(reportDir);
    const report = await runCli(['report', '--config', config], { cwd: dir, env: ENV });
    assert.equal(report.code, 0, report.stderr);
    assert.equal(statSync(reportDir).mode & 0o777, 0o700);
    const mapping = readFileSync(join(reportDir, 'mapping.csv'), 'utf8');
    assert.match(mapping, /^c1,1,\d+,1,/m);
    // A second import finds everything sent: nothing more goes out.
    const again = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emulator.state().conversations.length, 1);
  });
});
