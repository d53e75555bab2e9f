import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  CreateConversationBody,
  InlineThreadBody,
  InlineThreadType,
  ThreadResource,
} from '../../src/api/api-types.js';
import type { HelpScoutApi } from '../../src/helpscout/client.js';
import { ApiError } from '../../src/helpscout/errors.js';

/** One implementation of the API under test, with what the suite needs beside the interface. */
export interface ApiUnderTest {
  api: HelpScoutApi;
  /** Merges `from` into `into`, as an agent would in Help Scout's UI. */
  merge(from: number, into: number): void;
  close(): Promise<void>;
}

const customer = { email: 'contract@example.com' };
const START = Date.UTC(2024, 0, 1, 10, 0, 0);

/** The API's date form, `seconds` after the suite's fixed start. */
function stamp(seconds: number): string {
  return new Date(START + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function thread(i: number, type: InlineThreadType = 'chat'): InlineThreadBody {
  return {
    type,
    text: `${type} ${i}`,
    ...(type === 'note' ? {} : { customer }),
    createdAt: stamp(i),
  };
}

function conversation(threads: InlineThreadBody[], tag: string, status = 'closed'): CreateConversationBody {
  return {
    subject: `Contract ${tag}`,
    type: 'chat',
    mailboxId: 1,
    status: status as CreateConversationBody['status'],
    customer,
    threads,
    imported: true,
    createdAt: threads[0]?.createdAt ?? stamp(0),
    tags: [tag],
  };
}

const many = (n: number, from = 0) => Array.from({ length: n }, (_, i) => thread(from + i));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function rejectsWith(status: number) {
  return (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, status);
    return true;
  };
}

/**
 * The semantics of `HelpScoutApi` the importer relies on, run against every implementation (the in-memory
 * fake of the unit tests, and the real client over the emulator), so that the fake cannot drift from the
 * API the emulator reproduces.
 */
export function describeHelpScoutApiContract(name: string, makeApi: () => Promise<ApiUnderTest>): void {
  describe(`HelpScoutApi contract: ${name}`, () => {
    let under: ApiUnderTest;
    let api: HelpScoutApi;
    before(async () => {
      under = await makeApi();
      api = under.api;
    });
    after(() => under.close());

    it('a conversation create returns the id it reads back under, with its thread count', async () => {
      const id = await api.createConversation(conversation(many(3), 'ids'));
      const got = await api.getConversation(id);
      assert.equal(got.kind, 'found');
      if (got.kind !== 'found') return;
      assert.equal(got.conversation.id, id);
      assert.equal(got.conversation.threads, 3);
      assert.equal(got.conversation.subject, 'Contract ids');
      assert.equal(got.conversation.createdAt, stamp(0));
    });

    it('a thread create returns the id its thread reads back with', async () => {
      const id = await api.createConversation(conversation(many(1), 'thread-id'));
      const threadId = await api.createThread(id, 'chats', {
        text: 'appended',
        customer,
        imported: true,
        createdAt: stamp(10),
      });
      assert.equal(typeof threadId, 'number');
      const threads = await collect(api.listThreads(id));
      assert.deepEqual(
        threads.filter((t) => t.id === threadId).map((t) => [t.body, t.createdAt]),
        [['appended', stamp(10)]],
      );
    });

    it('a reply reads back as message, a chat as chat, a note as note, inline or appended', async () => {
      const id = await api.createConversation(
        conversation([thread(0, 'chat'), thread(1, 'reply'), thread(2, 'note')], 'types'),
      );
      await api.createThread(id, 'reply', {
        text: 'appended reply',
        customer,
        imported: true,
        createdAt: stamp(3),
      });
      await api.createThread(id, 'notes', { text: 'appended note', imported: true, createdAt: stamp(4) });
      const types = (await collect(api.listThreads(id))).map((t) => [t.body, t.type]);
      assert.deepEqual(types, [
        ['appended note', 'note'],
        ['appended reply', 'message'],
        ['note 2', 'note'],
        ['reply 1', 'message'],
        ['chat 0', 'chat'],
      ]);
    });

    it('lists every thread across pages, newest createdAt first whatever the order they came in', async () => {
      const id = await api.createConversation(conversation(many(12, 100), 'paging'));
      await api.createThread(id, 'chats', { text: 'older', customer, imported: true, createdAt: stamp(50) });
      const threads: ThreadResource[] = await collect(api.listThreads(id));
      const expected = [...many(12, 100).map((t) => t.createdAt as string), stamp(50)].sort().reverse();
      assert.deepEqual(
        threads.map((t) => t.createdAt),
        expected,
      );
    });

    it('412 for more than 100 threads in a create, and for an append to a conversation of 99', async () => {
      await assert.rejects(api.createConversation(conversation(many(101), 'cap')), rejectsWith(412));
      const full = await api.createConversation(conversation(many(100), 'cap'));
      assert.equal((await collect(api.listThreads(full))).length, 100);
      const id = await api.createConversation(conversation(many(98), 'cap'));
      await api.createThread(id, 'notes', { text: 'the 99th', imported: true, createdAt: stamp(200) });
      await assert.rejects(
        api.createThread(id, 'notes', { text: 'the 100th', imported: true, createdAt: stamp(201) }),
        rejectsWith(412),
      );
      const got = await api.getConversation(id);
      assert.equal(got.kind === 'found' && got.conversation.threads, 99);
    });

    it('a merged conversation reads as moved to the one it went into; writes to it are refused', async () => {
      const from = await api.createConversation(conversation(many(2), 'merge-from'));
      const into = await api.createConversation(conversation(many(3, 10), 'merge-into'));
      under.merge(from, into);
      assert.deepEqual(await api.getConversation(from), { kind: 'moved', to: into });
      const survivor = await api.getConversation(into);
      assert.equal(survivor.kind === 'found' && survivor.conversation.threads, 5);
      await assert.rejects(
        api.createThread(from, 'notes', { text: 'late', imported: true, createdAt: stamp(20) }),
        rejectsWith(404),
      );
      const listed = await collect(api.listConversations({ mailbox: 1, status: 'all', tag: 'merge-from' }));
      assert.deepEqual(
        listed.map((c) => c.id),
        [],
        'a merged conversation is no longer listed',
      );
    });

    it('an unknown or deleted conversation reads as missing; deleting an unknown one is a 404', async () => {
      assert.deepEqual(await api.getConversation(987_654_321), { kind: 'missing' });
      const id = await api.createConversation(conversation(many(1), 'delete'));
      await api.deleteConversation(id);
      assert.deepEqual(await api.getConversation(id), { kind: 'missing' });
      await assert.rejects(api.deleteConversation(id), rejectsWith(404));
    });

    it('lists conversations by tag and status (active unless asked), oldest first when asked, across pages', async () => {
      const tag = 'listing';
      const created: { id: number; at: string; status: string }[] = [];
      // Created out of date order, two of seven active.
      for (const [i, offset] of [5, 1, 6, 0, 3, 2, 4].entries()) {
        const status = i % 3 === 0 && i > 0 ? 'active' : 'closed';
        const id = await api.createConversation(conversation(many(1, offset * 1000), tag, status));
        created.push({ id, at: stamp(offset * 1000), status });
      }
      await api.createConversation(conversation(many(1), 'other-tag'));
      const all = await collect(
        api.listConversations({ mailbox: 1, status: 'all', tag, sortField: 'createdAt', sortOrder: 'asc' }),
      );
      const byDate = [...created].sort((a, b) => (a.at < b.at ? -1 : 1));
      assert.deepEqual(
        all.map((c) => [c.id, c.createdAt]),
        byDate.map((c) => [c.id, c.at]),
      );
      const active = await collect(api.listConversations({ mailbox: 1, tag }));
      assert.deepEqual(
        active.map((c) => c.id).sort(),
        created
          .filter((c) => c.status === 'active')
          .map((c) => c.id)
          .sort(),
      );
    });

    it('finds a user by the exact address in any case, never by a near one or a team', async () => {
      assert.equal(await api.findUserByEmail('ben@example.com'), 2);
      assert.equal(await api.findUserByEmail('BEN@Example.com'), 2);
      assert.equal(await api.findUserByEmail('en@example.com'), undefined);
      assert.equal(await api.findUserByEmail('ben@example.co'), undefined);
      assert.equal(await api.findUserByEmail(''), undefined);
    });

    it('an attachment joins its thread and reads back with its name and decoded size', async () => {
      const id = await api.createConversation(conversation(many(1), 'attachment'));
      const threadId = await api.createThread(id, 'notes', {
        text: 'with a file',
        imported: true,
        createdAt: stamp(5),
      });
      assert.equal(typeof threadId, 'number');
      const data = Buffer.from('hello, attachment').toString('base64');
      await api.createAttachment(id, threadId as number, {
        fileName: 'hello.txt',
        mimeType: 'text/plain',
        data,
      });
      const [withFile] = (await collect(api.listThreads(id))).filter((t) => t.id === threadId);
      assert.deepEqual(
        withFile?._embedded?.attachments?.map((a) => [a.filename, a.size]),
        [['hello.txt', 17]],
      );
      await assert.rejects(
        api.createAttachment(id, 987_654_321, { fileName: 'x.txt', mimeType: 'text/plain', data }),
        rejectsWith(404),
      );
    });
  });
}
