import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../src/emulator/index.js';
import { tempDir } from '../support/temp-dir.js';
import { conversationBody, createConversation, openSession, send } from './emulator-helpers.js';

const tmpFile = () => path.join(tempDir('emulator'), 'nested', 'emulator.jsonl');

test('with dataFile, a new emulator on the same file has the same state; without it, state is fresh', async () => {
  const dataFile = tmpFile();
  const s = await openSession({ dataFile });
  const a = await createConversation(s, {
    customer: { email: 'persist@example.com', firstName: 'Per' },
    tags: ['x'],
  });
  const b = await createConversation(s);
  assert.equal((await s.call('POST', `conversations/${a}/notes`, { text: 'n' })).status, 201);
  assert.equal((await s.call('PUT', `conversations/${a}/tags`, { tags: ['y'] })).status, 204);
  s.emu.merge(b, a);
  const before = s.emu.state();
  await s.close();

  const again = await openSession({ dataFile });
  try {
    assert.deepEqual(again.emu.state(), before);
    const res = await again.call('GET', `conversations/${a}/threads`);
    assert.equal(res.json._embedded.threads.length, 3);
    const c = await createConversation(again);
    assert.ok(c > b, 'ids keep increasing after a restart');
    const threadIds = again.emu.state().conversations.flatMap((x) => x.threads.map((t) => t.id));
    assert.equal(new Set(threadIds).size, threadIds.length, 'no thread id reused');
  } finally {
    await again.close();
  }
  const fresh = await startEmulator();
  try {
    assert.equal(fresh.state().conversations.length, 0);
  } finally {
    await fresh.close();
  }
});

test('a torn last line (a crash mid-write) is dropped; a corrupt line in the middle refuses to start', async () => {
  const dataFile = tmpFile();
  const s = await openSession({ dataFile });
  await createConversation(s);
  await s.close();
  fs.appendFileSync(dataFile, '{"op":"createConv');
  const reopened = await startEmulator({ dataFile });
  try {
    assert.equal(reopened.state().conversations.length, 1);
  } finally {
    await reopened.close();
  }
  assert.ok(fs.readFileSync(dataFile, 'utf8').endsWith('\n'), 'the torn line was cut off');
  fs.appendFileSync(dataFile, 'garbage\n');
  await assert.rejects(startEmulator({ dataFile }), /corrupt/);
});

test('an acknowledged write survives kill -9 of the process embedding the emulator', async () => {
  const dataFile = tmpFile();
  const script = fileURLToPath(new URL('./emulator-child-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const res = await send(`${url}conversations`, {
      method: 'POST',
      headers: { authorization: 'Bearer child-token' },
      body: conversationBody({ subject: 'survives', threads: [{ type: 'chat', text: 'hi' }] }),
    });
    assert.equal(res.status, 201);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  const emu = await startEmulator({ dataFile });
  try {
    assert.deepEqual(
      emu.state().conversations.map((c) => c.subject),
      ['survives'],
    );
  } finally {
    await emu.close();
  }
});
