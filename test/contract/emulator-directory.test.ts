import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSession } from './emulator-helpers.js';

test('customers ?query=(email:"…") is a contains-match; no match keeps _embedded.customers present and empty', async () => {
  const s = await openSession();
  try {
    const q = (text: string) => s.call('GET', `customers?query=${encodeURIComponent(text)}`);
    const partial = await q('(email:"example.")');
    assert.equal(partial.status, 200);
    assert.equal(partial.json._embedded.customers.length, 3);
    const one = await q('(email:"kenji.sato@example.jp")');
    assert.deepEqual(
      one.json._embedded.customers.map((c: { id: number }) => c.id),
      [502],
    );
    assert.deepEqual(one.json._embedded.customers[0]._embedded.emails[0], {
      id: 502,
      value: 'kenji.sato@example.jp',
      type: 'work',
    });
    const none = await q('(email:"nobody@example.com")');
    assert.deepEqual(none.json._embedded, { customers: [] });
    assert.deepEqual(none.json.page, { size: 50, totalElements: 0, totalPages: 0, number: 1 });
    assert.equal((await q('(name:"x")')).status, 400);
  } finally {
    await s.close();
  }
});

test('GET /customers/{id}: the recorded shape with emails under _embedded; unknown id 404', async () => {
  const s = await openSession();
  try {
    const res = await s.call('GET', 'customers/501');
    assert.equal(res.status, 200);
    assert.equal(res.json.firstName, 'Maria');
    assert.equal(res.json.email, undefined);
    assert.equal(res.json._embedded.emails[0].value, 'maria.rossi@example.org');
    assert.ok(res.json._links['social-profiles']);
    assert.equal((await s.call('GET', 'customers/9')).status, 404);
  } finally {
    await s.close();
  }
});

test('users: list with teams, ?email= filter, /users/me is the token owner, unknown id 404', async () => {
  const s = await openSession();
  try {
    const all = await s.call('GET', 'users');
    assert.deepEqual(
      all.json._embedded.users.map((u: { id: number; type: string }) => `${u.id}:${u.type}`),
      ['1:user', '2:user', '3:user', '4:team'],
    );
    const ben = await s.call('GET', 'users?email=BEN%40example.com');
    assert.deepEqual(
      ben.json._embedded.users.map((u: { id: number }) => u.id),
      [2],
    );
    const nobody = await s.call('GET', 'users?email=zed%40example.com');
    assert.deepEqual(nobody.json._embedded.users, []);
    const me = await s.call('GET', 'users/me');
    assert.equal(me.json.id, 1);
    assert.equal(me.json.role, 'admin');
    assert.equal((await s.call('GET', 'users/3')).json.firstName, 'Chloé');
    assert.equal((await s.call('GET', 'users/99')).status, 404);
  } finally {
    await s.close();
  }
});

test('mailboxes: list and get in the recorded shape; unknown id 404', async () => {
  const s = await openSession();
  try {
    const list = await s.call('GET', 'mailboxes');
    assert.deepEqual(list.json._embedded.mailboxes[0].slug, 'support');
    assert.deepEqual(list.json.page, { size: 50, totalElements: 1, totalPages: 1, number: 1 });
    const one = await s.call('GET', 'mailboxes/1');
    assert.equal(one.json.name, 'Support');
    assert.ok(one.json._links.folders.href);
    assert.equal((await s.call('GET', 'mailboxes/2')).status, 404);
  } finally {
    await s.close();
  }
});
