import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkParts, partOf } from '../../src/emulator/web/parts.js';
import { createConversation, openSession } from './emulator-helpers.js';
import { web } from './emulator-web-helpers.js';

test('a part subject is read as the import writes it, and nothing else is', () => {
  assert.deepEqual(partOf('Where is my order? (part 2 of 3)'), {
    base: 'Where is my order?',
    part: 2,
    parts: 3,
  });
  assert.equal(partOf('Where is my order?'), undefined);
  assert.equal(partOf('Odd (part 4 of 3)'), undefined);
  assert.equal(partOf('(part 1 of 2) at the start'), undefined);
});

test('parts of one source conversation are linked as 1/3, 2/3, 3/3; look-alikes of other customers are not', async () => {
  const s = await openSession();
  try {
    const at = (minute: number) => `2024-02-01T10:${String(minute).padStart(2, '0')}:00Z`;
    const part = (n: number, customer: number, minute: number) =>
      createConversation(s, {
        subject: `Broken lamp (part ${n} of 3)`,
        customer: { id: customer },
        imported: true,
        tags: ['hs-import'],
        threads: [{ type: 'chat', customer: { id: customer }, text: `part ${n}`, createdAt: at(minute) }],
      });
    // Created out of order, as concurrent sends may do.
    const p3 = await part(3, 501, 30);
    const p1 = await part(1, 501, 10);
    const p2 = await part(2, 501, 20);
    const otherCustomer = await part(1, 502, 11);
    const alone = await createConversation(s, { subject: 'Broken lamp' });

    const page = (await web(s.emu, `/conversations/${p2}`)).text;
    assert.ok(
      page.includes(
        `<a href="/conversations/${p1}" title="part 1 of 3">1/3</a><b title="this part">2/3</b><a href="/conversations/${p3}" title="part 3 of 3">3/3</a>`,
      ),
      'part 2 links parts 1 and 3',
    );
    const list = (await web(s.emu, '/mailboxes/1')).text;
    const rowOf = (id: number) =>
      list.slice(list.indexOf(`href="/conversations/${id}"`)).split('</tr>')[0] ?? '';
    assert.ok(rowOf(p1).includes(`<b title="this part">1/3</b><a href="/conversations/${p2}"`));
    assert.ok(
      rowOf(otherCustomer).includes('<span class="parts"><b title="this part">1/3</b></span>'),
      'alone',
    );
    assert.ok(rowOf(alone).includes('Broken lamp</a>'));
    assert.ok(!rowOf(alone).includes('class="parts"'), 'a whole conversation has no parts');
  } finally {
    await s.close();
  }
});

test('two source conversations alike in everything are told apart by time', () => {
  const conv = (id: number, n: number, createdAt: string) =>
    ({ id, subject: `Help (part ${n} of 2)`, mailboxId: 1, customerId: 7, tags: [], createdAt }) as never;
  const chains = linkParts([
    conv(1, 1, '2024-01-01T00:00:00Z'),
    conv(2, 1, '2024-03-01T00:00:00Z'),
    conv(3, 2, '2024-01-02T00:00:00Z'),
    conv(4, 2, '2024-03-02T00:00:00Z'),
  ]);
  assert.deepEqual(
    chains.get(3)?.map((p) => p.id),
    [1, 3],
  );
  assert.deepEqual(
    chains.get(2)?.map((p) => p.id),
    [2, 4],
  );
});
