import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationBody, errorPaths, openSession } from './emulator-helpers.js';

test('customer id wins over email; an unknown id is 400 customer.id', async () => {
  const s = await openSession();
  try {
    const both = conversationBody({ customer: { id: 502, email: 'maria.rossi@example.org' } });
    assert.equal((await s.call('POST', 'conversations', both)).status, 201);
    assert.equal(s.emu.state().conversations[0]?.customerId, 502);
    const unknown = await s.call('POST', 'conversations', conversationBody({ customer: { id: 9999 } }));
    assert.equal(unknown.status, 400);
    assert.deepEqual(errorPaths(unknown), ['customer.id']);
  } finally {
    await s.close();
  }
});

test('an unknown email creates the customer with its optional fields; a matched customer ignores them', async () => {
  const s = await openSession();
  try {
    const fresh = { email: 'new.person@example.com', firstName: 'New', lastName: 'Person', jobTitle: 'CTO' };
    assert.equal((await s.call('POST', 'conversations', conversationBody({ customer: fresh }))).status, 201);
    const matched = { email: 'KENJI.SATO@example.jp', firstName: 'Changed' };
    assert.equal(
      (await s.call('POST', 'conversations', conversationBody({ customer: matched }))).status,
      201,
    );
    const state = s.emu.state();
    const created = state.customers.find((c) => c.email === 'new.person@example.com');
    assert.ok(created && created.id >= 600001);
    assert.equal(created.firstName, 'New');
    assert.equal(created.jobTitle, 'CTO');
    assert.equal(state.customers.find((c) => c.id === 502)?.firstName, 'Kenji');
    assert.deepEqual(
      state.conversations.map((c) => c.customerId),
      [created.id, 502],
    );
    const neither = await s.call('POST', 'conversations', conversationBody({ customer: { firstName: 'X' } }));
    assert.deepEqual(errorPaths(neither), ['customer']);
  } finally {
    await s.close();
  }
});

test('field rules: names 1–40, jobTitle/location/organization ≤ 60, photoUrl/background ≤ 200, enums', async () => {
  const s = await openSession();
  try {
    const ok = {
      email: 'limits@example.com',
      firstName: 'a'.repeat(40),
      lastName: 'b',
      jobTitle: 'j'.repeat(60),
      location: 'l'.repeat(60),
      organization: 'o'.repeat(60),
      photoUrl: 'p'.repeat(200),
      background: 'g'.repeat(200),
      photoType: 'gravatar',
      gender: 'female',
    };
    assert.equal((await s.call('POST', 'conversations', conversationBody({ customer: ok }))).status, 201);
    const bad = {
      email: 'limits2@example.com',
      firstName: '',
      lastName: 'b'.repeat(41),
      jobTitle: 'j'.repeat(61),
      location: 'l'.repeat(61),
      organization: 'o'.repeat(61),
      photoUrl: 'p'.repeat(201),
      background: 'g'.repeat(201),
      photoType: 'selfie',
      gender: 'other',
    };
    const res = await s.call('POST', 'conversations', conversationBody({ customer: bad }));
    assert.equal(res.status, 400);
    assert.deepEqual(errorPaths(res).sort(), [
      'customer.background',
      'customer.firstName',
      'customer.gender',
      'customer.jobTitle',
      'customer.lastName',
      'customer.location',
      'customer.organization',
      'customer.photoType',
      'customer.photoUrl',
    ]);
    assert.equal(
      s.emu.state().customers.some((c) => c.email === 'limits2@example.com'),
      false,
    );
  } finally {
    await s.close();
  }
});

test('thread customers are validated with their own path, e.g. threads[3].customer.firstName', async () => {
  const s = await openSession();
  try {
    const threads = [0, 1, 2, 3].map((i) => ({ type: 'chat', text: `t${i}`, customer: { id: 501 } }));
    assert.equal((await s.call('POST', 'conversations', conversationBody({ threads }))).status, 201);
    threads[3] = { type: 'chat', text: 't3', customer: { email: 'x@example.com', firstName: '' } as never };
    const res = await s.call('POST', 'conversations', conversationBody({ threads }));
    assert.deepEqual(errorPaths(res), ['threads[3].customer.firstName']);
  } finally {
    await s.close();
  }
});

test('attachments need fileName, mimeType and valid base64 data; size is the decoded length', async () => {
  const s = await openSession();
  try {
    const good = { fileName: 'file.txt', mimeType: 'plain/text', data: 'ZmlsZQ==' };
    const withAtt = conversationBody({ threads: [{ type: 'chat', text: 'x', attachments: [good] }] });
    assert.equal((await s.call('POST', 'conversations', withAtt)).status, 201);
    const att = s.emu.state().conversations[0]?.threads[0]?.attachments[0];
    assert.equal(att?.size, 4);
    assert.equal(att?.data, 'ZmlsZQ==');
    const bad = conversationBody({
      threads: [
        {
          type: 'chat',
          text: 'x',
          attachments: [
            { ...good, data: 'not base64!' },
            { fileName: 'a', data: 'ZmlsZQ==' },
            { ...good, data: '' },
          ],
        },
      ],
    });
    const res = await s.call('POST', 'conversations', bad);
    assert.equal(res.status, 400);
    assert.deepEqual(errorPaths(res), [
      'threads[0].attachments[0].data',
      'threads[0].attachments[1].mimeType',
      'threads[0].attachments[2].data',
    ]);
  } finally {
    await s.close();
  }
});
