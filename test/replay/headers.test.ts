import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentTypeProblem, headerProblems } from './headers.js';

test('Content-Type: same media type and recorded parameters; spacing and case aside', () => {
  assert.equal(contentTypeProblem('text/plain; charset=UTF-8', 'text/plain;charset=utf-8'), undefined);
  assert.equal(contentTypeProblem('application/hal+json', 'application/hal+json;charset=UTF-8'), undefined);
  assert.match(
    String(contentTypeProblem('application/hal+json;charset=UTF-8', 'application/json')),
    /recorded/,
  );
  assert.match(String(contentTypeProblem('text/plain; charset=UTF-8', 'text/plain')), /parameter charset/);
  assert.match(String(contentTypeProblem(undefined, 'text/plain')), /not recorded/);
});

test('id, location and rate-limit headers must be present exactly when recorded', () => {
  const recorded = {
    'content-type': ['text/plain; charset=UTF-8'],
    'resource-id': ['868570854'],
    location: ['https://api.helpscout.net/v2/conversations/868570854'],
    'x-ratelimit-limit-minute': ['400'],
    'x-ratelimit-remaining-minute': ['395'],
  };
  const good = {
    'content-type': ['text/plain; charset=UTF-8'],
    'resource-id': ['5'],
    location: ['http://127.0.0.1:1/v2/conversations/5'],
    'x-ratelimit-limit-minute': ['400'],
    'x-ratelimit-remaining-minute': ['398'],
  };
  assert.deepEqual(headerProblems(recorded, good), []);
  const { 'resource-id': _id, ...noId } = good;
  assert.deepEqual(headerProblems(recorded, { ...noId, 'correlation-id': ['x'] }), [
    'resource-id: missing (recorded 868570854)',
    'correlation-id: x not recorded',
  ]);
  assert.deepEqual(headerProblems(recorded, { ...good, 'x-ratelimit-limit-minute': ['200'] }), [
    'x-ratelimit-limit-minute: 200, recorded 400',
  ]);
  assert.deepEqual(headerProblems(recorded, { ...good, location: ['http://h/v2/threads/6'] }), [
    'location: /v2/threads/{id}, recorded /v2/conversations/{id}',
    'resource-id 5 is not the id in location',
  ]);
});
