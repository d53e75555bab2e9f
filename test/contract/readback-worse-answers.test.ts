import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { conversationBody, inlineThread, threadShape } from '../../src/run/payload.js';
import { findConversation, findThread } from '../../src/run/reconcile.js';
import { plainTextToHtml } from '../../src/source/text.js';
import type { StagedRow } from '../../src/source/types.js';
import { FakeClock, systemClock } from '../../src/util/clock.js';
import { clientOverEmulator } from '../support/emulator-client.js';

/**
 * The read-back finds what was created under each worse answer the documentation leaves open: historic
 * `modifiedAt`, another primary email, rewritten bodies, deleted conversations still listed.
 */
const text = plainTextToHtml('Ticket "A-1" isn\'t here\nyet & <soon>');
const row = {
  role: 'customer',
  text,
  createdAt: '2019-05-01T10:00:00Z',
  attachments: [],
} as unknown as StagedRow;
const envelope = {
  subject: 'Order 42',
  customer: { email: 'Sent.Address@example.com', firstName: 'Ann' },
  tags: ['hs-import'],
  status: 'closed' as const,
};
const probe = (knownIds: ReadonlySet<number> = new Set()) => ({
  mailboxId: 1,
  tag: 'hs-import',
  // The run's own time: a historic modifiedAt is years before it.
  since: '2026-11-30T00:00:00Z',
  subject: envelope.subject,
  createdAt: row.createdAt,
  customer: { email: envelope.customer.email },
  knownIds,
});

describe('read-back under the pessimistic answers', () => {
  let api: Awaited<ReturnType<typeof clientOverEmulator>>;
  let id: number;
  before(async () => {
    api = await clientOverEmulator({
      clock: new FakeClock(Date.parse('2026-11-30T12:00:00Z')),
      historicModifiedAt: true,
      otherPrimaryEmail: true,
      rewriteBodies: true,
      listDeleted: true,
    });
    const shape = threadShape(row, 'reply', undefined);
    const thread = await inlineThread(row, shape, envelope.customer);
    id = await api.client.createConversation(conversationBody(envelope, 1, [thread], row.createdAt, null));
  });
  after(() => api.close());

  it('finds the conversation though modifiedSince misses it and it lists another primary email', async () => {
    const listed = [];
    for await (const c of api.client.listConversations({
      mailbox: 1,
      status: 'all',
      modifiedSince: probe().since,
    }))
      listed.push(c.id);
    assert.deepEqual(listed, [], 'the historic modifiedAt hides it from modifiedSince');
    const [shown] = await api.client
      .listConversations({ mailbox: 1, status: 'all' })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value]);
    assert.notEqual(shown?.primaryCustomer?.email?.toLowerCase(), envelope.customer.email.toLowerCase());
    const found = await findConversation(api.client, probe(), { retries: 0, delayMs: 1 }, systemClock);
    assert.equal(found, id);
  });

  it('finds the thread though its body comes back rewritten', async () => {
    const threads = [];
    for await (const t of api.client.listThreads(id)) threads.push(t);
    assert.notEqual(threads[0]?.body, text, 'the emulator rewrote the body');
    const found = await findThread(api.client, id, {
      type: 'chat',
      text,
      createdAt: row.createdAt,
      alreadyDone: 0,
    });
    assert.deepEqual(found, { found: true, id: threads[0]?.id, files: 0 });
  });

  it('never takes a deleted conversation that is still listed for the one in doubt', async () => {
    await api.client.deleteConversation(id);
    const found = await findConversation(api.client, probe(), { retries: 0, delayMs: 1 }, systemClock);
    assert.equal(found, undefined);
  });
});
