import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { FakeClock } from '../../src/util/clock.js';
import { getToken, send } from './emulator-helpers.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const good = { grant_type: 'client_credentials', client_id: 'demo-app-id', client_secret: 'demo-app-secret' };

test('form-urlencoded client credentials get a bearer token; a wrong secret gets 401', async () => {
  const emu = await startEmulator();
  try {
    const ok = await send(`${emu.url}oauth2/token`, form(good));
    assert.equal(ok.status, 200);
    assert.equal(ok.json.token_type, 'bearer');
    assert.equal(typeof ok.json.access_token, 'string');
    assert.equal(ok.json.expires_in, 172800);
    assert.equal(ok.headers['cache-control'], 'no-store');
    assert.equal(ok.headers['x-ratelimit-limit-minute'], undefined);
    assert.equal(ok.headers['x-ratelimit-remaining-minute'], undefined);
    const bad = await send(`${emu.url}oauth2/token`, form({ ...good, client_secret: 'nope' }));
    assert.equal(bad.status, 401);
    const grant = await send(`${emu.url}oauth2/token`, form({ ...good, grant_type: 'password' }));
    assert.equal(grant.status, 400);
  } finally {
    await emu.close();
  }
});

test('JSON token requests are accepted by default and refused with acceptJsonTokenRequests: false', async () => {
  const lenient = await startEmulator();
  const strict = await startEmulator({ acceptJsonTokenRequests: false });
  try {
    const a = await send(`${lenient.url}oauth2/token`, { method: 'POST', body: good });
    assert.equal(a.status, 200);
    const b = await send(`${strict.url}oauth2/token`, { method: 'POST', body: good });
    assert.equal(b.status, 400);
    assert.equal((await send(`${strict.url}oauth2/token`, form(good))).status, 200);
  } finally {
    await lenient.close();
    await strict.close();
  }
});

test('HTTP Basic client authentication is accepted; wrong Basic credentials are 401', async () => {
  const emu = await startEmulator({ credentials: [{ clientId: 'app', clientSecret: 's3cret' }] });
  try {
    const basic = (id: string, secret: string) => ({
      ...form({ grant_type: 'client_credentials' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      },
    });
    assert.equal((await send(`${emu.url}oauth2/token`, basic('app', 's3cret'))).status, 200);
    assert.equal((await send(`${emu.url}oauth2/token`, basic('app', 'wrong'))).status, 401);
  } finally {
    await emu.close();
  }
});

test('API calls need a valid bearer token: none or unknown → 401 vnd.error, valid → 200', async () => {
  const emu = await startEmulator();
  try {
    const none = await send(`${emu.url}users/me`);
    assert.equal(none.status, 401);
    assert.match(String(none.headers['content-type']), /^application\/vnd\.error\+json/);
    assert.equal(typeof none.json.message, 'string');
    const unknown = await send(`${emu.url}users/me`, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(unknown.status, 401);
    const token = await getToken(emu);
    const ok = await send(`${emu.url}users/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.email, 'anna@example.com');
  } finally {
    await emu.close();
  }
});

test('a token expires after expires_in seconds on the injected clock', async () => {
  const clock = new FakeClock();
  const emu = await startEmulator({ clock, tokenExpiresInSeconds: 60 });
  try {
    const res = await send(`${emu.url}oauth2/token`, form(good));
    assert.equal(res.json.expires_in, 60);
    const auth = { headers: { authorization: `Bearer ${res.json.access_token}` } };
    clock.advance(59_000);
    assert.equal((await send(`${emu.url}mailboxes`, auth)).status, 200);
    clock.advance(1_000);
    assert.equal((await send(`${emu.url}mailboxes`, auth)).status, 401);
  } finally {
    await emu.close();
  }
});

test('pre-issued accessTokens authorize without a token request', async () => {
  const emu = await startEmulator({ accessTokens: ['static-token'] });
  try {
    const ok = await send(`${emu.url}mailboxes`, { headers: { authorization: 'Bearer static-token' } });
    assert.equal(ok.status, 200);
    const other = await send(`${emu.url}mailboxes`, { headers: { authorization: 'Bearer static-tokenX' } });
    assert.equal(other.status, 401);
  } finally {
    await emu.close();
  }
});
