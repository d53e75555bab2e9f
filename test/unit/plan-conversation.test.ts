import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PlanThread, planConversation } from '../../src/plan/plan-conversation.js';

const options = {
  strategy: 'batch' as const,
  maxRequestBytes: 256 * 1024,
  status: 'closed' as const,
  tags: ['hs-import'],
  subjectTemplate: 'Chat with {customer} on {date}',
  partSubjectTemplate: '{subject} (part {part} of {parts})',
};

function thread(id: number, extra: Partial<PlanThread> = {}): PlanThread {
  return {
    id,
    seq: id,
    createdAt: `2024-03-01T10:${String(Math.floor(id / 60) % 60).padStart(2, '0')}:${String(id % 60).padStart(2, '0')}Z`,
    bytes: 300,
    customer: {},
    tags: [],
    ...extra,
  };
}

describe('planConversation', () => {
  it('takes subject, customer, tags and status from the first non-empty rows in date order', () => {
    const rows = [
      thread(3, { subject: 'Later subject', customer: { email: 'x@example.com' } }),
      thread(1, { customer: { email: 'ana@example.com' } }),
      thread(2, {
        subject: 'Where is my order?',
        tags: ['vip'],
        customer: { email: 'ana@example.com', firstName: 'Ana' },
      }),
    ];
    const plan = planConversation('c1', rows, undefined, rows, options);
    assert.equal(plan.kind, 'planned');
    if (plan.kind !== 'planned') return;
    assert.equal(plan.parts.length, 1);
    const part = plan.parts[0];
    assert.deepEqual(part?.threadIds, [1, 2, 3]);
    assert.deepEqual(part?.envelope, {
      subject: 'Where is my order?',
      customer: { email: 'ana@example.com', firstName: 'Ana' },
      tags: ['hs-import', 'vip'],
      status: 'closed',
    });
  });

  it('names the parts of a split conversation', () => {
    const rows = Array.from({ length: 250 }, (_, i) => thread(i, { customer: { id: 501 } }));
    const plan = planConversation('c2', rows, undefined, rows, options);
    assert.equal(plan.kind, 'planned');
    if (plan.kind !== 'planned') return;
    assert.deepEqual(
      plan.parts.map((p) => p.envelope.subject),
      [1, 2, 3].map((n) => `Chat with customer 501 on 2024-03-01 (part ${n} of 3)`),
    );
  });

  it('rejects a conversation with no customer on any row', () => {
    const rows = [thread(1), thread(2)];
    const plan = planConversation('c3', rows, undefined, rows, options);
    assert.equal(plan.kind, 'rejected');
  });

  it('appends new threads to the last started part while it has room, then opens new parts', () => {
    const rows = Array.from({ length: 30 }, (_, i) => thread(i, { customer: { email: 'a@example.com' } }));
    const plan = planConversation(
      'c4',
      rows,
      { id: 9, partNo: 2, threadCount: 90, lastCreatedAt: '2024-03-01T09:00:00Z' },
      rows,
      options,
    );
    assert.equal(plan.kind, 'planned');
    if (plan.kind !== 'planned') return;
    assert.deepEqual(plan.append, { partId: 9, threadIds: rows.slice(0, 9).map((t) => t.id) });
    assert.deepEqual(
      plan.parts.map((p) => [p.partNo, p.threadIds.length]),
      [[3, 21]],
    );
  });

  it('counts new threads older than what the conversation already has in Help Scout', () => {
    const rows = [1, 2, 3].map((i) => thread(i, { customer: { email: 'a@example.com' } }));
    const plan = planConversation(
      'c6',
      rows,
      { id: 9, partNo: 1, threadCount: 5, lastCreatedAt: '2024-03-01T10:00:02Z' },
      rows,
      options,
    );
    assert.equal(plan.kind === 'planned' && plan.olderThanSent, 1, 'only 10:00:01 is older than 10:00:02');
  });

  it('never appends to a part created full (100 inline threads)', () => {
    const rows = [thread(1, { customer: { email: 'a@example.com' } })];
    const plan = planConversation(
      'c5',
      rows,
      { id: 9, partNo: 1, threadCount: 100, lastCreatedAt: '2024-03-01T09:00:00Z' },
      rows,
      options,
    );
    assert.equal(plan.kind, 'planned');
    if (plan.kind !== 'planned') return;
    assert.equal(plan.append, undefined);
    assert.equal(plan.parts[0]?.partNo, 2);
  });
});
