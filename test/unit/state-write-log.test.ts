import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type WriteKind, WriteLog, type WriteOutcome } from '../../src/state/write-log.js';
import { memoryStore } from '../support/keep-alive.js';

function freshLog() {
  const store = memoryStore();
  let tick = 0;
  const log = new WriteLog(store, 1, () => `2026-01-01T00:00:${String(tick++).padStart(2, '0')}Z`);
  const row = (id: number) =>
    store
      .prepare(
        'SELECT outcome, http_status AS status, resource_id AS resource, error, resolution FROM writes WHERE id = ?',
      )
      .get(id);
  return { store, log, row };
}

/**
 * Every kind of outcome, keyed by kind: a kind added to the union without a case here fails the typecheck,
 * and so does a kind that is not in it.
 */
const EVERY_OUTCOME: { [K in WriteOutcome['kind']]: Extract<WriteOutcome, { kind: K }> } = {
  created: { kind: 'created', resourceId: 500, resolution: 'read back: found' },
  refused: { kind: 'refused', status: 400, error: 'Bad request' },
  'in-doubt': { kind: 'in-doubt', reason: 'socket closed' },
  'not-created': { kind: 'not-created', resolution: 'read back: not found' },
  found: { kind: 'found', resourceId: 77 },
  'not-found': { kind: 'not-found', error: 'not in its conversation' },
  deleted: { kind: 'deleted', resolution: 'already gone' },
};

const STORED: Record<WriteOutcome['kind'], unknown> = {
  created: { outcome: 'ok', status: 201, resource: 500, error: null, resolution: 'read back: found' },
  refused: { outcome: 'failed', status: 400, resource: null, error: 'Bad request', resolution: null },
  'in-doubt': { outcome: 'in-doubt', status: null, resource: null, error: 'socket closed', resolution: null },
  'not-created': {
    outcome: 'not-created',
    status: null,
    resource: null,
    error: null,
    resolution: 'read back: not found',
  },
  found: { outcome: 'found', status: null, resource: 77, error: null, resolution: null },
  'not-found': {
    outcome: 'not-found',
    status: null,
    resource: null,
    error: 'not in its conversation',
    resolution: null,
  },
  deleted: { outcome: 'deleted', status: null, resource: null, error: null, resolution: 'already gone' },
};

describe('the write log', () => {
  it('records each kind of outcome', () => {
    const { log, row } = freshLog();
    for (const outcome of Object.values(EVERY_OUTCOME)) {
      const id = log.intent(1, 'create-thread', [1], 9);
      log.finish(id, outcome);
      assert.deepEqual(row(id), STORED[outcome.kind], outcome.kind);
    }
    // @ts-expect-error: 'ok' is how the column spells a create, not an outcome of the union.
    const notAnOutcome: WriteOutcome = { kind: 'ok' };
    assert.ok(notAnOutcome);
  });

  it('gives an outcome once; only a write in doubt gets its final one', () => {
    const { log, row } = freshLog();
    const id = log.intent(1, 'create-conversation', [1, 2], null);
    log.finish(id, { kind: 'in-doubt', reason: 'socket closed' });
    log.finish(id, { kind: 'created', resourceId: 500, resolution: 'read back: found' });
    assert.deepEqual(row(id), {
      outcome: 'ok',
      status: 201,
      resource: 500,
      error: null,
      resolution: 'read back: found',
    });
    assert.throws(
      () => log.finish(id, { kind: 'not-created', resolution: 'again' }),
      /already has its outcome/,
    );
    assert.equal((row(id) as { outcome: string }).outcome, 'ok');
  });

  it('commits the outcome and its effect together, or neither', () => {
    const { log, row, store } = freshLog();
    store.prepare("INSERT INTO meta (key, value) VALUES ('effect', 'none')").run();
    const id = log.intent(1, 'create-thread', [1], 9);
    assert.throws(() =>
      log.finish(id, { kind: 'created', resourceId: 5 }, () => {
        store.prepare("UPDATE meta SET value = 'half' WHERE key = 'effect'").run();
        throw new Error('effect failed');
      }),
    );
    assert.equal((row(id) as { outcome: string | null }).outcome, null);
    assert.equal(store.getMeta('effect'), 'none');
  });

  it('is open for creates without an outcome or in doubt, not for reads, deletions or rolled-back writes', () => {
    const { log } = freshLog();
    const open = (kind: WriteKind, part = 1) => log.intent(part, kind, [1], 9);
    const died = open('create-conversation');
    const lost = open('create-thread');
    log.finish(lost, { kind: 'in-doubt', reason: 'socket closed' });
    log.finish(open('create-thread'), { kind: 'created', resourceId: 3 });
    log.record(1, 'find-thread', [1], 9, { kind: 'found', resourceId: 3 });
    assert.deepEqual(
      log.open(1).map((w) => w.id),
      [died, lost],
    );

    open('create-attachment', 2);
    log.finish(log.intent(2, 'delete-conversation', [], 9), { kind: 'deleted' });
    assert.deepEqual(log.open(2), [], 'what came before a rollback is history');
    const again = open('create-conversation', 2);
    assert.deepEqual(
      log.open(2).map((w) => w.id),
      [again],
    );
  });

  it('counts the uploads to a thread that stand', () => {
    const { log } = freshLog();
    const upload = () => log.intent(1, 'create-attachment', [4], 9);
    log.finish(upload(), { kind: 'created', resourceId: null });
    log.finish(upload(), { kind: 'refused', status: 413, error: 'too large' });
    assert.equal(log.attachmentsUploaded(4), 1);
    log.finish(log.intent(1, 'delete-conversation', [], 9), { kind: 'deleted' });
    assert.equal(log.attachmentsUploaded(4), 0);
  });
});
