import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { HelpScoutClient } from '../../src/helpscout/client.js';
import { InDoubtError, NotSentError } from '../../src/helpscout/errors.js';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { TokenProvider } from '../../src/helpscout/token.js';
import {
  createTransport,
  type HttpRequest,
  type HttpResponse,
  type Send,
} from '../../src/helpscout/transport.js';
import { openApiSession } from '../../src/run/api-session.js';
import { FatalError, type HsImportError } from '../../src/util/errors.js';
import { instantClock } from '../support/instant-clock.js';
import { tempDir } from '../support/temp-dir.js';

const body = {
  subject: 's',
  type: 'chat' as const,
  mailboxId: 1,
  status: 'closed' as const,
  customer: { email: 'a@example.com' },
  threads: [{ type: 'chat' as const, text: 'hi' }],
};

const created: HttpResponse = { status: 201, headers: { 'resource-id': '9' }, body: '' };
const token = (n: number): HttpResponse => ({
  status: 200,
  headers: {},
  body: JSON.stringify({ access_token: `t${n}`, expires_in: 7200 }),
});

/** A client whose token endpoint and API each follow a script; counts what reached each. */
function scripted(
  tokenAnswer: (n: number) => HttpResponse | Error,
  apiAnswer: (req: HttpRequest, n: number) => HttpResponse | Error = () => created,
) {
  const seen = { token: 0, api: [] as HttpRequest[] };
  const send: Send = async (req) => {
    const result =
      req.path === 'oauth2/token' ? tokenAnswer(++seen.token) : apiAnswer(req, seen.api.push(req));
    if (result instanceof Error) throw result;
    return result;
  };
  const clock = instantClock();
  const retry = { retries: 3, minDelayMs: 10, maxDelayMs: 100 };
  const client = new HelpScoutClient({
    send,
    tokens: new TokenProvider(send, { kind: 'client', appId: 'a', appSecret: 's' }, clock, retry),
    limiter: new RateLimiter(clock, { limit: 400 }),
    clock,
    retry,
    throttleTimeoutMs: 15 * 60_000,
  });
  return { client, seen, clock };
}

describe('the token request', () => {
  it('is asked again after a 503, and the create then goes once', async () => {
    const { client, seen } = scripted((n) => (n === 1 ? { status: 503, headers: {}, body: '' } : token(n)));
    assert.equal(await client.createConversation(body), 9);
    assert.equal(seen.token, 2);
    assert.equal(seen.api.length, 1);
  });

  it('a reset on it is retried, and never makes the create that waited for it "in doubt"', async () => {
    const reset = () => new InDoubtError('POST', '/v2/oauth2/token', 'the connection was closed');
    const once = scripted((n) => (n === 1 ? reset() : token(n)));
    assert.equal(await once.client.createConversation(body), 9);
    const always = scripted(() => reset());
    await assert.rejects(always.client.createConversation(body), (error: HsImportError) => {
      assert.ok(error instanceof FatalError, `${error.name}: ${error.message}`);
      assert.equal(error.code, 'TOKEN_FAILED');
      assert.match(error.message, /after 4 attempts: .*connection was closed/);
      return true;
    });
    assert.equal(always.seen.api.length, 0, 'the create never left');
  });

  it('a proxy page instead of the token is retried, then named with its first bytes', async () => {
    const html = { status: 200, headers: {}, body: '<html><body>Sign in to the Wi-Fi</body></html>' };
    const { client } = scripted(() => html);
    await assert.rejects(
      client.createConversation(body),
      /token endpoint \(POST …\/oauth2\/token\) answered 200, body "<html><body>Sign in/,
    );
  });

  it('an empty or cut-off token answer is retried, then named with its status and first bytes', async () => {
    const cut = scripted((n) => (n === 1 ? { status: 200, headers: {}, body: '{"access_tok' } : token(n)));
    assert.equal(await cut.client.createConversation(body), 9);
    assert.equal(cut.seen.token, 2);
    for (const [status, answer, shown] of [
      [200, '', '(empty)'],
      [200, '{"access_token": "abc', '"{\\"access_token\\": \\"abc"'],
      [502, '<html>Bad Gateway</html>', '"<html>Bad Gateway</html>"'],
    ] as const) {
      const { client, seen } = scripted(() => ({ status, headers: {}, body: answer }));
      await assert.rejects(client.createConversation(body), (error: HsImportError) => {
        assert.equal(error.code, 'TOKEN_FAILED');
        assert.ok(error.message.includes(`oauth2/token) answered ${status}, body ${shown}`), error.message);
        return true;
      });
      assert.equal(seen.api.length, 0, 'the create never left');
    }
  });

  it('refused credentials end the run at once', async () => {
    const { client, seen } = scripted(() => ({ status: 401, headers: {}, body: '' }));
    await assert.rejects(client.createConversation(body), (e: HsImportError) => e.code === 'BAD_CREDENTIALS');
    assert.equal(seen.token, 1);
  });
});

describe('429s', () => {
  it('are resent without bound in count but not in time: the run stops after the throttle timeout', async () => {
    const always429: HttpResponse = { status: 429, headers: { 'x-ratelimit-retry-after': '0' }, body: '' };
    const { client, seen, clock } = scripted(token, () => always429);
    await assert.rejects(client.createConversation(body), (error: HsImportError) => {
      assert.equal(error.code, 'RATE_LIMITED');
      assert.match(error.message, /429 for 1[5-9] minutes/);
      return true;
    });
    // `Retry-After: 0` still waits, longer each time: a handful of attempts, not thousands.
    assert.ok(seen.api.length < 30, `${seen.api.length} attempts`);
    assert.ok(clock.slept >= 15 * 60_000);
  });
});

describe('403', () => {
  it('is account-wide: the run stops with what to do', async () => {
    const denied: HttpResponse = {
      status: 403,
      headers: {},
      body: JSON.stringify({ message: 'API access is disabled' }),
    };
    const { client, seen } = scripted(token, () => denied);
    await assert.rejects(client.createConversation(body), (error: HsImportError) => {
      assert.equal(error.code, 'ACCESS_DENIED');
      assert.match(error.message, /API access is disabled.*payment information/);
      return true;
    });
    assert.equal(seen.api.length, 1, 'not repeated');
  });
});

describe('reads', () => {
  it('a page that is not JSON is read again, then named', async () => {
    const html: HttpResponse = { status: 200, headers: {}, body: '<!DOCTYPE html><title>Outage</title>' };
    const flaky = scripted(token, (_, n) =>
      n === 1 ? html : { status: 200, headers: {}, body: JSON.stringify({ _embedded: { users: [] } }) },
    );
    assert.equal(await flaky.client.findUserByEmail('x@example.com'), undefined);
    assert.equal(flaky.client.stats.retries, 1);
    const down = scripted(token, () => html);
    await assert.rejects(
      down.client.findUserByEmail('x@example.com'),
      /users answered 200 .*"<!DOCTYPE html><title>Outage/,
    );
  });

  it('an empty or cut-off page is read again, then named with the path, the status and the first bytes', async () => {
    for (const answer of ['', '{"_embedded": {"users": [']) {
      const down = scripted(token, () => ({ status: 200, headers: {}, body: answer }));
      await assert.rejects(down.client.findUserByEmail('x@example.com'), (error: HsImportError) => {
        assert.equal(error.code, 'BAD_ANSWER');
        assert.match(
          error.message,
          /^GET \/v2\/users answered 200 with something that is not Help Scout's JSON/,
        );
        assert.ok(error.message.endsWith(answer === '' ? '(empty)' : JSON.stringify(answer)), error.message);
        return true;
      });
      assert.equal(down.seen.api.length, 4, 'within the retry bound (3 retries)');
    }
  });

  it('a create answered with a page instead of 201 is in doubt, never taken as made nor resent', async () => {
    for (const status of [200, 502]) {
      const page = { status, headers: {}, body: '<html><title>Portal</title></html>' };
      const { client, seen } = scripted(token, () => page);
      await assert.rejects(
        client.createThread(7, 'chats', { type: 'chat', text: 'hi', customer: { id: 1 } } as never),
        (error: HsImportError) => {
          assert.ok(error instanceof InDoubtError, `${error.name}: ${error.message}`);
          assert.match(error.message, /POST \/v2\/conversations\/7\/chats: answer lost/);
          if (status === 200)
            assert.match(error.message, /answered 200 instead of 201, body "<html><title>Portal/);
          return true;
        },
      );
      assert.equal(seen.api.length, 1, 'sent once');
    }
  });

  it('deletes may repeat after a lost answer; creates never', async () => {
    const lost = () => new InDoubtError('DELETE', '/v2/conversations/1', 'reset');
    const del = scripted(token, (_, n) => (n === 1 ? lost() : { status: 204, headers: {}, body: '' }));
    await del.client.deleteConversation(1);
    assert.equal(del.seen.api.length, 2);
    const refused = () => new NotSentError('POST', '/v2/conversations', 'refused');
    const create = scripted(token, (_, n) => (n === 1 ? refused() : created));
    assert.equal(await create.client.createConversation(body), 9);
  });
});

describe('the transport', () => {
  it('never sends the token to another origin named by a link', async () => {
    let hits = 0;
    const server = createServer((_, res) => {
      hits += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const transport = createTransport(`http://127.0.0.1:${port}/v2/`, { timeoutMs: 5_000, connections: 1 });
    try {
      const own = await transport.send({ method: 'GET', path: `http://127.0.0.1:${port}/v2/users?page=2` });
      assert.equal(own.status, 200);
      await assert.rejects(
        transport.send({ method: 'GET', path: `http://localhost:${port}/v2/users?page=2` }),
        (error: HsImportError) => error.code === 'FOREIGN_ORIGIN',
      );
      assert.equal(hits, 1);
    } finally {
      await transport.close();
      server.close();
    }
  });

  it('says in words that Help Scout did not answer in time', async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const transport = createTransport(`http://127.0.0.1:${port}/v2/`, { timeoutMs: 200, connections: 1 });
    try {
      await assert.rejects(
        transport.send({ method: 'GET', path: 'users' }),
        /Help Scout did not answer within 0 s|did not answer within/,
      );
    } finally {
      await transport.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('--concurrency', () => {
  it('is the client’s cap on requests in flight', async () => {
    const dir = tempDir('conc');
    const config = loadConfig(undefined, { concurrency: 3 }, dir);
    const session = await openApiSession(
      config,
      async () => ({
        apiUrl: 'http://127.0.0.1:9/v2/',
        credentials: { kind: 'token', accessToken: 'x' },
        close: async () => {},
      }),
      instantClock(),
      new AbortController().signal,
    );
    try {
      assert.equal(session.client.inFlight.max, 3);
    } finally {
      await session.close();
    }
  });
});

describe('a stop', () => {
  it('never turns a create Help Scout carried out into one that was not sent', async () => {
    const stop = new AbortController();
    const clock = instantClock();
    const send: Send = async (req) => {
      if (req.path === 'oauth2/token') return token(1);
      stop.abort(new Error('SIGINT')); // the signal arrives while the create is on the wire
      return created;
    };
    const client = new HelpScoutClient({
      send,
      tokens: new TokenProvider(send, { kind: 'client', appId: 'a', appSecret: 's' }, clock),
      limiter: new RateLimiter(clock, { limit: 400 }),
      clock,
      signal: stop.signal,
    });
    assert.equal(await client.createConversation(body), 9);
  });
});
