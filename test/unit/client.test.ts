import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveConcurrency } from '../../src/helpscout/adaptive-concurrency.js';
import { HelpScoutClient } from '../../src/helpscout/client.js';
import { ApiError, InDoubtError, NotSentError } from '../../src/helpscout/errors.js';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { TokenProvider } from '../../src/helpscout/token.js';
import type { HttpRequest, HttpResponse, Send } from '../../src/helpscout/transport.js';
import { StoppedError } from '../../src/util/errors.js';
import { instantClock } from '../support/instant-clock.js';

type Script = (req: HttpRequest, n: number) => HttpResponse | Error;

function answer(status: number, headers: Record<string, string> = {}, body = ''): HttpResponse {
  return {
    status,
    headers: { 'x-ratelimit-limit-minute': '400', 'x-ratelimit-remaining-minute': '300', ...headers },
    body,
  };
}

/** A client over a scripted transport; the token endpoint always answers, counting its calls. */
function clientWith(script: Script, signal?: AbortSignal) {
  const calls: HttpRequest[] = [];
  let tokens = 0;
  const send: Send = async (req) => {
    if (req.path === 'oauth2/token') {
      tokens += 1;
      return {
        status: 200,
        headers: {},
        body: JSON.stringify({ access_token: `t${tokens}`, expires_in: 7200 }),
      };
    }
    calls.push(req);
    const result = script(req, calls.length);
    if (result instanceof Error) throw result;
    return result;
  };
  const clock = instantClock();
  const limiter = new RateLimiter(clock, { limit: 400 });
  const client = new HelpScoutClient({
    send,
    tokens: new TokenProvider(send, { kind: 'client', appId: 'a', appSecret: 's' }, clock),
    limiter,
    clock,
    retry: { retries: 3, minDelayMs: 10, maxDelayMs: 100 },
    ...(signal ? { signal } : {}),
  });
  return { client, calls, clock, tokenCalls: () => tokens };
}

const body = {
  subject: 's',
  type: 'chat' as const,
  mailboxId: 1,
  status: 'closed' as const,
  customer: { email: 'a@example.com' },
  threads: [{ type: 'chat' as const, text: 'hi' }],
};

describe('HelpScoutClient', () => {
  it('reads the new id from Resource-ID, or from Location', async () => {
    const a = clientWith(() => answer(201, { 'resource-id': '42' }));
    assert.equal(await a.client.createConversation(body), 42);
    const b = clientWith(() => answer(201, { location: 'https://api.helpscout.net/v2/conversations/77' }));
    assert.equal(await b.client.createConversation(body), 77);
    const c = clientWith(() => answer(201));
    await assert.rejects(c.client.createConversation(body), InDoubtError);
  });

  it('resends after a 429 without using up a retry, waiting as told', async () => {
    const { client, calls, clock } = clientWith((_, n) =>
      n <= 5 ? answer(429, { 'x-ratelimit-retry-after': '7' }) : answer(201, { 'resource-id': '1' }),
    );
    assert.equal(await client.createConversation(body), 1);
    assert.equal(calls.length, 6);
    assert.equal(client.stats.throttled, 5);
    assert.equal(client.stats.retries, 0);
    assert.ok(clock.slept >= 35_000);
  });

  it('honours a standard Retry-After too', async () => {
    const { client, clock } = clientWith((_, n) =>
      n === 1 ? answer(429, { 'retry-after': '3' }) : answer(201, { 'resource-id': '1' }),
    );
    await client.createConversation(body);
    assert.ok(clock.slept >= 3_000);
  });

  it('renews the token once after a 401 and repeats the call; a second 401 is fatal', async () => {
    const once = clientWith((_, n) => (n === 1 ? answer(401) : answer(201, { 'resource-id': '5' })));
    assert.equal(await once.client.createConversation(body), 5);
    assert.equal(once.tokenCalls(), 2);
    assert.equal((once.calls[1]?.headers?.authorization ?? '').replace('Bearer ', ''), 't2');
    const always = clientWith(() => answer(401));
    await assert.rejects(always.client.createConversation(body), /refused the access token/);
  });

  it('never resends a create whose answer was lost or was a 5xx: it is in doubt', async () => {
    const lost = clientWith(() => new InDoubtError('POST', '/v2/conversations', 'ECONNRESET'));
    await assert.rejects(lost.client.createConversation(body), InDoubtError);
    assert.equal(lost.calls.length, 1);
    const failing = clientWith(() => answer(503));
    await assert.rejects(failing.client.createConversation(body), InDoubtError);
    assert.equal(failing.calls.length, 1);
  });

  it('resends a create that provably never left (connection refused)', async () => {
    const { client, calls } = clientWith((_, n) =>
      n === 1
        ? new NotSentError('POST', '/v2/conversations', 'ECONNREFUSED')
        : answer(201, { 'resource-id': '9' }),
    );
    assert.equal(await client.createConversation(body), 9);
    assert.equal(calls.length, 2);
  });

  it('retries reads on 5xx and lost answers, a bounded number of times', async () => {
    const { client, calls } = clientWith((_, n) =>
      n <= 2
        ? answer(500)
        : answer(200, {}, JSON.stringify({ _embedded: { users: [{ id: 3, email: 'Ben@Example.com' }] } })),
    );
    assert.equal(await client.findUserByEmail('ben@example.com'), 3);
    assert.equal(calls.length, 3);
    const down = clientWith(() => answer(500));
    await assert.rejects(down.client.findUserByEmail('x@example.com'), ApiError);
    assert.equal(down.calls.length, 4);
  });

  it('fails a 400 at once with the API path of the bad field', async () => {
    const { client } = clientWith(() =>
      answer(
        400,
        {},
        JSON.stringify({
          message: 'Bad request',
          _embedded: { errors: [{ path: 'customer.firstName', message: 'too long' }] },
        }),
      ),
    );
    await assert.rejects(
      client.createConversation(body),
      (e: ApiError) => e.status === 400 && /customer\.firstName/.test(e.message),
    );
  });

  it('follows _links.next through every page, and stops on the last', async () => {
    const page = (n: number, next: boolean) =>
      JSON.stringify({
        _embedded: { threads: [{ id: n, type: 'chat', createdAt: '2024-01-01T00:00:00Z' }] },
        _links: next ? { next: { href: `http://127.0.0.1/v2/conversations/1/threads?page=${n + 1}` } } : {},
        page: { size: 1, totalElements: 3, totalPages: 3, number: n },
      });
    const { client } = clientWith((_, n) => answer(200, {}, page(n, n < 3)));
    const ids: number[] = [];
    for await (const t of client.listThreads(1)) ids.push(t.id);
    assert.deepEqual(ids, [1, 2, 3]);
  });

  it('once stopping, sends nothing more and says so (the write was not sent)', async () => {
    const stop = new AbortController();
    const { client, calls } = clientWith(() => answer(201, { 'resource-id': '1' }), stop.signal);
    stop.abort();
    await assert.rejects(client.createConversation(body), StoppedError);
    assert.equal(calls.length, 0);
  });

  it('maps a merged conversation (301) to where it went', async () => {
    const { client } = clientWith(() =>
      answer(301, { location: 'https://api.helpscout.net/v2/conversations/555' }),
    );
    assert.deepEqual(await client.getConversation(1), { kind: 'moved', to: 555 });
  });
});

describe('AdaptiveConcurrency', () => {
  it('keeps just enough in flight for the budget at the measured latency, within the maximum', () => {
    const gate = new AdaptiveConcurrency(16, () => 300);
    for (let i = 0; i < 30; i++) {
      void gate.acquire();
      gate.release(100);
    }
    assert.equal(gate.target, 2, 'fast answers: 300/min × 0.1 s ≈ 0.5 in flight');
    for (let i = 0; i < 30; i++) {
      void gate.acquire();
      gate.release(4_000);
    }
    assert.equal(gate.target, 16, 'slow answers would want 31 in flight: capped by the maximum');
  });

  it('holds the next request until a slot frees', async () => {
    const gate = new AdaptiveConcurrency(1, () => 300);
    await gate.acquire();
    let second = false;
    const waiting = gate.acquire().then(() => {
      second = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second, false);
    gate.release(10);
    await waiting;
    assert.equal(second, true);
  });
});
