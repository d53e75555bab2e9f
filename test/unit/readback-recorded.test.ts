import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_DATE_PATTERN, type HalList, type UserResource } from '../../src/api/api-types.js';
import { HelpScoutClient } from '../../src/helpscout/client.js';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { TokenProvider } from '../../src/helpscout/token.js';
import type { HttpRequest, HttpResponse, Send } from '../../src/helpscout/transport.js';
import { findConversation, findThread } from '../../src/run/reconcile.js';
import { type Interaction, loadCassette, MARKERS, type RecordedResponse } from '../replay/cassette.js';
import { instantClock } from '../support/instant-clock.js';

/**
 * The importer's read-back fed Help Scout's own recorded answers (test/replay/cassette.ts loads them), so it
 * is proven to parse what the real API sends, not only what the emulator sends.
 */

const recorded = (name: string, index = 1): Interaction => {
  const i = loadCassette(`${name}.yml`).interactions[index];
  if (!i) throw new Error(`${name}.yml has no interaction ${index}`);
  return i;
};

function asHttp(r: RecordedResponse): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (v[0] !== undefined) headers[k] = v[0];
  return { status: r.status, headers, body: r.body };
}

/** A client whose every API call is answered by `answer` (the recorded token answer for the token call). */
function clientOver(answer: (req: HttpRequest) => RecordedResponse) {
  const requests: HttpRequest[] = [];
  const token = recorded('access-token-create', 0).response;
  const send: Send = async (req) => {
    if (req.path === 'oauth2/token') return asHttp(token);
    requests.push(req);
    return asHttp(answer(req));
  };
  const clock = instantClock(Date.UTC(2019, 5, 2, 13, 47, 0));
  const client = new HelpScoutClient({
    send,
    tokens: new TokenProvider(send, { kind: 'client', appId: 'a', appSecret: 's' }, clock),
    limiter: new RateLimiter(clock, { limit: 400 }),
    clock,
    retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 },
  });
  return { client, requests, clock };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('read-back over recorded Help Scout answers', () => {
  it('getConversation reads conversation-get.yml: a thread count, tags, the primary customer', async () => {
    const { client } = clientOver(() => recorded('conversation-get').response);
    const got = await client.getConversation(MARKERS.TEST_CONVERSATION_ID);
    assert.equal(got.kind, 'found');
    if (got.kind !== 'found') return;
    const c = got.conversation;
    assert.equal(c.id, MARKERS.TEST_CONVERSATION_ID);
    assert.equal(c.status, 'closed');
    assert.equal(c.mailboxId, MARKERS.TEST_MAILBOX_ID);
    assert.equal(c.threads, 1);
    assert.match(c.createdAt, API_DATE_PATTERN);
    assert.deepEqual(
      c.tags?.map((t) => t.tag),
      ['gat_laitini', 'vip', 'pro', 'initial_tag'],
    );
    assert.equal(c.primaryCustomer?.id, 175406734);
    assert.equal(c.primaryCustomer?.email, 'person2@example.com');
  });

  it('listThreads reads thread-get.yml: six threads newest first, in one request (no next link)', async () => {
    const { client, requests } = clientOver(() => recorded('thread-get').response);
    const threads = await collect(client.listThreads(MARKERS.TEST_CONVERSATION_ID));
    assert.equal(requests.length, 1);
    assert.deepEqual(
      threads.map((t) => t.type),
      ['note', 'note', 'note', 'message', 'note', 'customer'],
    );
    const times = threads.map((t) => t.createdAt);
    assert.deepEqual(times, [...times].sort().reverse());
    for (const t of threads) {
      assert.equal(typeof t.id, 'number');
      assert.equal(typeof t.body, 'string');
      assert.match(t.createdAt, API_DATE_PATTERN);
      assert.deepEqual(t._embedded?.attachments, []);
    }
  });

  it('listThreads reads thread-list.yml: a chat thread with its attachments as filename and size', async () => {
    const { client } = clientOver(() => recorded('thread-list').response);
    const [thread, ...rest] = await collect(client.listThreads(MARKERS.TEST_CONVERSATION_ID));
    assert.equal(rest.length, 0);
    assert.equal(thread?.type, 'chat');
    assert.equal(thread?.createdBy?.type, 'customer');
    assert.equal(thread?.customer?.id, MARKERS.TEST_CUSTOMER_ID);
    assert.deepEqual(
      thread?._embedded?.attachments?.map((a) => [a.filename, a.mimeType, a.size]),
      [
        ['file.txt', 'file/txt', 69],
        ['file.txt', 'file/txt', 69],
      ],
    );
  });

  it('findConversation finds the conversation of conversation-create.yml in conversation-list.yml', async () => {
    const { client, requests, clock } = clientOver(() => recorded('conversation-list').response);
    const probe = {
      mailboxId: MARKERS.TEST_MAILBOX_ID,
      tag: undefined,
      since: '2019-06-02T13:47:20Z',
      subject: 'Redacted text 5',
      createdAt: '2019-06-02T13:47:21Z',
      customer: { email: MARKERS.TEST_CUSTOMER_EMAIL.toUpperCase() },
      knownIds: new Set<number>(),
    };
    const policy = { retries: 0, delayMs: 1 };
    assert.equal(await findConversation(client, probe, policy, clock), 868570854);
    assert.equal(requests.length, 1, 'one page of 36, no next link');
    const byId = { ...probe, customer: { id: MARKERS.TEST_CUSTOMER_ID } };
    assert.equal(await findConversation(client, byId, policy, clock), 868570854);
    const known = { ...probe, knownIds: new Set([868570854]) };
    assert.equal(await findConversation(client, known, policy, clock), undefined);
  });

  it('listConversations reads all 36 items of conversation-list.yml, unassigned ones without assignee', async () => {
    const { client } = clientOver(() => recorded('conversation-list').response);
    const all = await collect(client.listConversations({ mailbox: MARKERS.TEST_MAILBOX_ID }));
    assert.equal(all.length, 36);
    assert.ok(all.every((c) => c.status === 'active' && typeof c.id === 'number'));
  });

  it('findThread finds a note and a reply (read back as message) in thread-get.yml', async () => {
    const { client } = clientOver(() => recorded('thread-get').response);
    const note = { type: 'note' as const, text: 'Redacted text 131', createdAt: '2019-07-16T19:19:32Z' };
    assert.deepEqual(await findThread(client, MARKERS.TEST_CONVERSATION_ID, { ...note, alreadyDone: 0 }), {
      found: true,
      id: 2535529292,
      files: 0,
    });
    assert.deepEqual(await findThread(client, MARKERS.TEST_CONVERSATION_ID, { ...note, alreadyDone: 1 }), {
      found: false,
    });
    const reply = { type: 'reply' as const, text: 'Redacted text 134', createdAt: '2019-07-09T18:40:17Z' };
    assert.deepEqual(await findThread(client, MARKERS.TEST_CONVERSATION_ID, { ...reply, alreadyDone: 0 }), {
      found: true,
      id: 2519189245,
      files: 0,
    });
  });

  it('findUserByEmail reads user-list.yml: users match case-insensitively, teams never', async () => {
    const { client, requests } = clientOver(() => recorded('user-list').response);
    assert.equal(await client.findUserByEmail('PERSON1@example.com'), 191154);
    assert.equal(requests.length, 1, 'found on the first page');
    const page = recorded('user-list').response.json as HalList<'users', UserResource>;
    const team = page._embedded?.users?.find((u) => u.type === 'team');
    assert.equal(team?.email, '', 'teams are listed among users with an empty email');
  });

  it('paging follows the recorded next link verbatim and stops on the last page', async () => {
    const first = recorded('user-list').response;
    // The recording holds page 1 of 3 only; the last page is page 1's body marked as the last, no next link.
    const lastJson = structuredClone(first.json) as HalList<'users', UserResource>;
    delete lastJson._links?.next;
    if (lastJson.page) lastJson.page.number = lastJson.page.totalPages;
    const last: RecordedResponse = { ...first, body: JSON.stringify(lastJson), json: lastJson };
    const { client, requests } = clientOver((req) => (req.path.includes('page=') ? last : first));
    assert.equal(await client.findUserByEmail('nobody@example.com'), undefined);
    assert.deepEqual(
      requests.map((r) => r.path),
      ['users', 'https://api.helpscout.net/v2/users/?page=2'],
    );
  });

  it('creates read the recorded 201s: the id from Resource-Id, none for threads, nothing for attachments', async () => {
    const create = clientOver(() => recorded('conversation-create').response);
    const body = {
      subject: 's',
      type: 'email' as const,
      mailboxId: MARKERS.TEST_MAILBOX_ID,
      status: 'active' as const,
      customer: { email: MARKERS.TEST_CUSTOMER_EMAIL },
      threads: [{ type: 'chat' as const, text: 't' }],
    };
    assert.equal(await create.client.createConversation(body), 868570854);
    const thread = clientOver(() => recorded('thread-create').response);
    assert.equal(
      await thread.client.createThread(MARKERS.TEST_CONVERSATION_ID, 'notes', { text: 'n' }),
      undefined,
    );
    const attach = clientOver(() => recorded('attachment-create').response);
    await attach.client.createAttachment(MARKERS.TEST_CONVERSATION_ID, MARKERS.TEST_THREAD_ID, {
      fileName: 'file.txt',
      mimeType: 'file/txt',
      data: 'eA==',
    });
    assert.equal(attach.requests.length, 1);
  });

  it('a recorded 204 (PUT tags) with a text/plain type and no body is not taken for an error', async () => {
    const { client } = clientOver(() => recorded('conversation-update-tags', 2).response);
    const res = await client.call({ method: 'PUT', path: 'conversations/1/tags', body: '{"tags":[]}' }, []);
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
  });
});
