import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { HelpScoutClient } from '../../src/helpscout/client.js';
import { maskBody, withLog } from '../../src/helpscout/layers/log.js';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { TokenProvider } from '../../src/helpscout/token.js';
import type { HttpRequest, HttpResponse, Send } from '../../src/helpscout/transport.js';
import { FakeClock } from '../../src/util/clock.js';

/** A logger whose lines land in an array, parsed. */
function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level, base: undefined, timestamp: false }, stream), lines };
}

const answer: HttpResponse = {
  status: 201,
  headers: { 'resource-id': '7', 'x-ratelimit-remaining-minute': '398' },
  body: JSON.stringify({ id: 7, status: 'closed', customer: { email: 'ann@example.com', firstName: 'Ann' } }),
};

const createBody = {
  subject: 'Order 1234 for Ann Smith',
  type: 'chat',
  mailboxId: 1,
  status: 'closed',
  customer: { email: 'ann@example.com', firstName: 'Ann', phone: '+44 20 7946 0000' },
  threads: [{ type: 'customer', text: 'My card ends 4242', createdAt: '2026-01-01T00:00:00Z' }],
};

/** The client over a transport that answers `answer` after 25 ms of fake time. */
function clientWith(level: string, credentials: { appId: string; appSecret: string }) {
  const { log, lines } = capture(level);
  const clock = new FakeClock();
  const seen: HttpRequest[] = [];
  const send: Send = async (req) => {
    seen.push(req);
    if (req.path.includes('oauth2/token')) {
      return {
        status: 200,
        headers: {},
        body: JSON.stringify({ access_token: 'SECRET-TOKEN', expires_in: 7200 }),
      };
    }
    clock.advance(25);
    return answer;
  };
  const tokens = new TokenProvider(send, { kind: 'client', ...credentials }, clock);
  const client = new HelpScoutClient({
    send,
    tokens,
    limiter: new RateLimiter(clock, { limit: 400 }),
    clock,
    log,
  });
  return { client, lines, seen };
}

describe('request log', () => {
  it('at debug logs method, path, status, cost, ms and the budget left, and no body', async () => {
    const { client, lines } = clientWith('debug', { appId: 'app', appSecret: 'very-secret' });
    await client.createConversation(createBody as never);
    const http = lines.filter((l) => l.event === 'http');
    assert.equal(http.length, 1);
    assert.deepEqual(
      { ...http[0], level: undefined },
      {
        event: 'http',
        method: 'POST',
        path: '/v2/conversations',
        cost: 2,
        status: 201,
        ms: 25,
        remaining: '398',
        level: undefined,
      },
    );
  });

  it('at trace adds the bodies with customer data masked, and never a secret', async () => {
    const { client, lines, seen } = clientWith('trace', { appId: 'app', appSecret: 'very-secret' });
    await client.createConversation(createBody as never);
    // The secrets did travel: the token request carried the secret, the API request the token.
    assert.ok(seen.some((r) => r.body?.includes('very-secret')));
    assert.ok(seen.some((r) => r.headers?.authorization === 'Bearer SECRET-TOKEN'));
    const text = JSON.stringify(lines);
    for (const secret of ['very-secret', 'SECRET-TOKEN', 'Bearer', 'client_secret']) {
      assert.ok(!text.includes(secret), `${secret} logged`);
    }
    for (const customerData of ['ann@example.com', 'Ann', '7946', '4242', 'Order 1234']) {
      assert.ok(!text.includes(customerData), `${customerData} logged`);
    }
    const http = lines.find((l) => l.event === 'http') as { requestBody: typeof createBody };
    assert.equal(http.requestBody.status, 'closed');
    assert.equal(http.requestBody.threads[0]?.createdAt, '2026-01-01T00:00:00Z');
    assert.equal(http.requestBody.customer.email, '[15 chars]');
  });

  it('at info logs nothing and costs nothing', async () => {
    const { client, lines } = clientWith('info', { appId: 'app', appSecret: 'very-secret' });
    await client.createConversation(createBody as never);
    assert.deepEqual(lines, []);
  });

  it('logs a request whose answer never came, then lets the error through', async () => {
    const { log, lines } = capture('debug');
    const failing: Send = async () => {
      throw new Error('socket hang up');
    };
    const send = withLog(log, new FakeClock())(failing);
    await assert.rejects(send({ method: 'GET', path: 'conversations/3?query=ann@example.com' }), /hang up/);
    assert.equal(lines[0]?.path, '/v2/conversations/3');
    assert.equal(lines[0]?.error, 'socket hang up');
  });

  it('masks a body that is not JSON by its length', () => {
    assert.equal(maskBody('client_secret=abc&x=1'), '[21 chars, not JSON]');
    assert.equal(maskBody(''), undefined);
  });
});
