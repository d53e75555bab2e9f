import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareShape, describeDifferences, hrefShape } from './shape.js';

const recorded = {
  id: 1,
  type: 'email',
  threads: 1,
  createdAt: '2019-06-02T13:47:21Z',
  subject: 'Redacted text 5',
  assignee: { id: 7, first: 'First1', photoUrl: 'https://example.com/photo.jpg' },
  tags: [{ id: 2, tag: 'vip', color: '#A5B2BD' }],
  _links: { self: { href: 'https://api.helpscout.net/v2/conversations/868570854' } },
};

test('an identical answer, with other ids, times and redacted text, has no differences', () => {
  const actual = structuredClone(recorded) as typeof recorded;
  actual.id = 99;
  actual.createdAt = '2026-01-01T00:00:00Z';
  actual.subject = 'real subject';
  actual.assignee.first = 'Anna';
  actual._links.self.href = 'http://127.0.0.1:5000/v2/conversations/100001';
  assert.deepEqual(compareShape(recorded, actual), []);
});

test('reports a missing key, an extra key and a type change by path', () => {
  const actual = structuredClone(recorded) as Record<string, unknown> & typeof recorded;
  delete (actual.assignee as Partial<typeof recorded.assignee>).photoUrl;
  (actual as Record<string, unknown>).number = 5;
  (actual as Record<string, unknown>).threads = [];
  const diffs = compareShape(recorded, actual);
  assert.deepEqual(
    diffs.map((d) => [d.path, d.kind]),
    [
      ['$.number', 'extra'],
      ['$.threads', 'type'],
      ['$.assignee.photoUrl', 'missing'],
    ],
  );
  const text = describeDifferences(diffs);
  assert.match(text, /\$\.assignee\.photoUrl: missing \(recorded string\)/);
  assert.match(text, /\$\.threads: type array, recorded number/);
  assert.match(text, /\$\.number: extra/);
});

test('reports a changed value, a wrong href shape and differences inside list items', () => {
  const actual = structuredClone(recorded);
  actual.type = 'chat';
  actual._links.self.href = 'http://127.0.0.1:5000/v2/conversations/100001/threads';
  actual.tags = [
    { id: 3, tag: 'vip', color: '#A5B2BD' },
    { id: 4, tag: 'vip', color: '#000000' },
  ];
  const diffs = compareShape(recorded, actual);
  assert.deepEqual(
    diffs.map((d) => [d.path, d.kind]),
    [
      ['$.type', 'value'],
      ['$.tags[1].color', 'value'],
      ['$._links.self.href', 'value'],
    ],
  );
});

test('lists: an empty recorded list accepts any items; items are matched to the closest recorded one', () => {
  assert.deepEqual(compareShape({ a: [] }, { a: [{ x: 1 }] }), []);
  const rec = { a: [{ k: 'one' }, { k: 'two', extra: true }] };
  assert.deepEqual(compareShape(rec, { a: [{ k: 'two', extra: true }, { k: 'one' }] }), []);
  assert.deepEqual(
    compareShape(rec, { a: [] }).map((d) => [d.path, d.kind]),
    [['$.a[0]', 'missing']],
  );
});

test('exempt value paths and placeholders are compared by type only', () => {
  const rec = { page: { totalElements: 49299 }, email: 'marker@example.com' };
  const act = { page: { totalElements: 51 }, email: 'someone@example.org' };
  assert.equal(compareShape(rec, act).length, 2);
  const options = {
    exemptValuePaths: new Set(['$.page.totalElements']),
    placeholders: new Set(['marker@example.com']),
  };
  assert.deepEqual(compareShape(rec, act, options), []);
  assert.equal(compareShape(rec, { ...act, email: 5 }, options)[0]?.kind, 'type');
});

test('href shape: numeric segments, query names, page values and templates', () => {
  assert.equal(hrefShape('https://api.helpscout.net/v2/customers/?page=986'), '/v2/customers/?page=986');
  assert.equal(
    hrefShape('https://api.helpscout.net/v2/customers?query=(email:"a@b.c"){&page}'),
    '/v2/customers?query={v}{&page}',
  );
  assert.equal(
    hrefShape('http://127.0.0.1:1/v2/conversations/5/threads/'),
    '/v2/conversations/{id}/threads/',
  );
  assert.equal(
    hrefShape('https://secure.helpscout.net/file/1/f04fcdb82bc0be33c5/a.txt'),
    '/file/{id}/{hash}/a.txt',
  );
});
