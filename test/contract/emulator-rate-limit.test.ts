import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/util/clock.js';
import { conversationBody, openSession } from './emulator-helpers.js';

const MINUTE = 60_000;

test('reads cost 1, writes 2, and every answer carries the X-RateLimit headers', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const s = await openSession({ clock, rateLimitPerMinute: 10 });
  try {
    const read = await s.call('GET', 'mailboxes');
    assert.equal(read.headers['x-ratelimit-limit-minute'], '10');
    assert.equal(read.headers['x-ratelimit-remaining-minute'], '9');
    const write = await s.call('POST', 'conversations', conversationBody());
    assert.equal(write.status, 201);
    assert.equal(write.headers['x-ratelimit-remaining-minute'], '7');
    const invalid = await s.call('POST', 'conversations', conversationBody({ subject: '' }));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.headers['x-ratelimit-remaining-minute'], '5', 'a rejected write still costs 2');
    assert.equal(s.emu.stats().pointsSpent, 5);
  } finally {
    await s.close();
  }
});

test('over the limit: 429 with X-RateLimit-Retry-After to the window end, nothing executed, nothing spent', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const s = await openSession({ clock, rateLimitPerMinute: 4 });
  try {
    assert.equal((await s.call('POST', 'conversations', conversationBody())).status, 201);
    assert.equal((await s.call('GET', 'mailboxes')).status, 200);
    clock.advance(20_000);
    // 3 of 4 spent: a write (2) does not fit.
    const refused = await s.call('POST', 'conversations', conversationBody({ subject: 'second' }));
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.json, { message: 'API rate limit exceeded' });
    assert.equal(refused.headers['x-ratelimit-retry-after'], '40');
    assert.equal(refused.headers['retry-after'], undefined);
    assert.equal(s.emu.state().conversations.length, 1, 'the refused create did not run');
    // The 429 cost nothing: a read (1) still fits.
    const read = await s.call('GET', 'mailboxes');
    assert.equal(read.status, 200);
    assert.equal(read.headers['x-ratelimit-remaining-minute'], '0');
    assert.equal((await s.call('GET', 'mailboxes')).status, 429);
    assert.equal(s.emu.stats().rateLimited, 2);
  } finally {
    await s.close();
  }
});

test('the window is a fixed clock minute: at the next minute the budget is whole again', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 59));
  const s = await openSession({ clock, rateLimitPerMinute: 2 });
  try {
    assert.equal((await s.call('POST', 'conversations', conversationBody())).status, 201);
    const refused = await s.call('GET', 'mailboxes');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['x-ratelimit-retry-after'], '1');
    clock.advance(1_000);
    const next = await s.call('GET', 'mailboxes');
    assert.equal(next.status, 200);
    assert.equal(next.headers['x-ratelimit-remaining-minute'], '1');
  } finally {
    await s.close();
  }
});

test('the token endpoint is free; standardRetryAfterHeader adds Retry-After to a 429', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const s = await openSession({ clock, rateLimitPerMinute: 1, standardRetryAfterHeader: true });
  try {
    assert.equal(s.emu.stats().pointsSpent, 0, 'the session token request took nothing');
    assert.equal((await s.call('GET', 'mailboxes')).status, 200);
    const refused = await s.call('GET', 'mailboxes');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '60');
    clock.advance(MINUTE);
    assert.equal((await s.call('GET', 'mailboxes')).status, 200);
  } finally {
    await s.close();
  }
});
