import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { FakeClock } from '../../src/util/clock.js';
import { conversationBody, createConversation, openSession, send } from './emulator-helpers.js';

const pessimistic = (o: EmulatorOptions = {}): EmulatorOptions => ({
  profile: 'pessimistic',
  tokenFaults: {},
  searchLagMs: 0,
  ...o,
});

/** `body` with `text` padded so that its JSON is exactly `size` bytes. */
function sized(
  body: Record<string, unknown>,
  size: number,
  put: (b: Record<string, unknown>, t: string) => void,
) {
  const probe = structuredClone(body);
  put(probe, '');
  const pad = size - Buffer.byteLength(JSON.stringify(probe));
  assert.ok(pad > 0);
  const out = structuredClone(body);
  put(out, 'x'.repeat(pad));
  assert.equal(Buffer.byteLength(JSON.stringify(out)), size);
  return out;
}

const chatOf = (size: number) =>
  sized({ customer: { id: 501 } }, size, (b, t) => {
    b.text = t;
  });
const createOf = (size: number) =>
  sized(conversationBody(), size, (b, t) => {
    b.threads = [{ type: 'chat', text: t }];
  });

test('request limits: friendly 10 MiB and 262,144 bytes; worse 102,400 on thread endpoints and 256,000 on create', async () => {
  const friendly = await openSession();
  const worse = await openSession(pessimistic());
  try {
    const a = await createConversation(friendly);
    const b = await createConversation(worse);
    assert.equal((await friendly.call('POST', `conversations/${a}/chats`, chatOf(102_401))).status, 201);
    assert.equal((await friendly.call('POST', 'conversations', createOf(256_001))).status, 201);
    assert.equal((await friendly.call('POST', 'conversations', createOf(262_145))).status, 413);

    assert.equal((await worse.call('POST', `conversations/${b}/chats`, chatOf(102_400))).status, 201);
    assert.equal((await worse.call('POST', `conversations/${b}/notes`, chatOf(102_401))).status, 413);
    assert.equal((await worse.call('POST', 'conversations', createOf(256_000))).status, 201);
    const over = await worse.call('POST', 'conversations', createOf(256_001));
    assert.equal(over.status, 413);
    assert.equal(worse.emu.state().conversations.length, 2, 'the refused create did nothing');
  } finally {
    await Promise.all([friendly.close(), worse.close()]);
  }
});

test('403 switched through the admin API: every API call is refused with a vnd.error until switched off', async () => {
  const s = await openSession();
  try {
    const admin = s.emu.url.replace(/\/v2\/$/, '/_emulator/');
    const on = await send(`${admin}access`, { method: 'PUT', body: { denied: true } });
    assert.equal(on.status, 204);
    const read = await s.call('GET', 'mailboxes');
    assert.equal(read.status, 403);
    assert.match(String(read.headers['content-type']), /^application\/vnd\.error\+json/);
    assert.equal(read.json.message, 'Access denied');
    assert.equal(typeof read.json.logRef, 'string');
    assert.equal((await s.call('POST', 'conversations', conversationBody())).status, 403);
    assert.equal(s.emu.state().conversations.length, 0);
    const token = await send(`${s.emu.url}oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-app-id&client_secret=demo-app-secret',
    });
    assert.equal(token.status, 200, 'the token endpoint still answers');
    assert.equal(s.emu.stats().accessDenied, 2);
    assert.equal((await send(`${admin}access`, { method: 'PUT', body: { denied: 'x' } })).status, 400);
    await send(`${admin}access`, { method: 'PUT', body: { denied: false } });
    assert.equal((await s.call('GET', 'mailboxes')).status, 200);
    s.emu.setAccessDenied(true);
    assert.equal((await s.call('GET', 'users')).status, 403);
  } finally {
    await s.close();
  }
  const denied = await startEmulator({ accessDenied: true, accessTokens: ['t'] });
  try {
    const res = await send(`${denied.url}mailboxes`, { headers: { authorization: 'Bearer t' } });
    assert.equal(res.status, 403, 'the option starts it denied');
    const noToken = await send(`${denied.url}mailboxes`);
    assert.equal(noToken.status, 401, 'a bad token is still 401 first');
  } finally {
    await denied.close();
  }
});

const tokenRequest = (url: string) =>
  send(`${url}oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo-app-id&client_secret=demo-app-secret',
  });

test('token faults: friendly never fails; a script plays in order, a stall holds on the injected clock then drops', async () => {
  const clock = new FakeClock();
  const friendly = await startEmulator({ clock });
  const flaky = await startEmulator({
    clock,
    tokenFaults: { script: ['429', '500', '503', 'stall', 'ok'], stallMs: 5000 },
  });
  try {
    for (let i = 0; i < 20; i++) assert.equal((await tokenRequest(friendly.url)).status, 200);
    const limited = await tokenRequest(flaky.url);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['x-ratelimit-retry-after'], '1');
    assert.equal(limited.json.message, 'API rate limit exceeded');
    assert.equal((await tokenRequest(flaky.url)).status, 500);
    const unavailable = await tokenRequest(flaky.url);
    assert.equal(unavailable.status, 503);
    assert.match(String(unavailable.headers['content-type']), /vnd\.error/);
    const stalled = tokenRequest(flaky.url).then(
      () => 'answered',
      () => 'dropped',
    );
    while (flaky.stats().tokenFaults.stall === 0) await new Promise((r) => setImmediate(r));
    clock.advance(5000);
    assert.equal(await stalled, 'dropped');
    assert.equal((await tokenRequest(flaky.url)).status, 200);
    const stats = flaky.stats();
    assert.deepEqual(stats.tokenFaults, { rateLimited: 1, serverError: 2, stall: 1 });
    assert.equal(stats.rateLimited, 0, 'the API budget is not the token endpoint');
    assert.deepEqual(stats.requests['POST /v2/oauth2/token'], {
      '200': 1,
      '429': 1,
      '500': 1,
      '503': 1,
      stalled: 1,
    });
  } finally {
    await Promise.all([friendly.close(), flaky.close()]);
  }
});

test('token fault rates are seeded: the same seed gives the same sequence; the pessimistic profile starts 429, 503', async () => {
  const rates = { seed: 42, rateLimited: 0.3, serverError: 0.3 };
  const one = await startEmulator({ tokenFaults: rates });
  const two = await startEmulator({ tokenFaults: rates });
  const worse = await startEmulator({ profile: 'pessimistic' });
  try {
    const run = async (url: string) => {
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await tokenRequest(url)).status);
      return out;
    };
    const a = await run(one.url);
    assert.deepEqual(await run(two.url), a);
    assert.ok(a.includes(200) && a.includes(429) && (a.includes(500) || a.includes(503)), a.join(' '));
    const w = await run(worse.url);
    assert.deepEqual(w.slice(0, 2), [429, 503]);
    assert.ok(w.filter((x) => x === 200).length >= 20, w.join(' '));
    one.setTokenFaults(undefined);
    assert.equal((await tokenRequest(one.url)).status, 200);
    const admin = two.url.replace(/\/v2\/$/, '/_emulator/');
    assert.equal(
      (await send(`${admin}token-faults`, { method: 'PUT', body: { script: ['500'] } })).status,
      204,
    );
    assert.equal((await tokenRequest(two.url)).status, 500);
  } finally {
    await Promise.all([one.close(), two.close(), worse.close()]);
  }
});

test('GET /_emulator/audit: what the emulator did that an importer may not expect', async () => {
  const s = await openSession(pessimistic());
  try {
    const id = await createConversation(s, { imported: true, status: 'closed' });
    await s.call('POST', `conversations/${id}/reply`, { customer: { id: 501 }, text: 'r', imported: true });
    const audit = await send(s.emu.url.replace(/\/v2\/$/, '/_emulator/audit'));
    assert.equal(audit.status, 200);
    assert.deepEqual(audit.json.autoAssigned, [{ conversationId: id, userId: 1 }]);
    assert.equal(audit.json.reopenedByAppend.length, 1);
    assert.deepEqual(audit.json, s.emu.audit());
  } finally {
    await s.close();
  }
});
