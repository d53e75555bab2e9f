import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareThreads } from '../../src/plan/order.js';
import { splitIntoParts } from '../../src/plan/split.js';

const threads = (n: number, bytes = 100) => Array.from({ length: n }, (_, i) => ({ id: i, bytes }));
const batch = { strategy: 'batch' as const, maxRequestBytes: 256 * 1024, envelopeBytes: 1024 };

describe('splitIntoParts', () => {
  it('keeps up to 100 threads in one part, all inline', () => {
    const parts = splitIntoParts(threads(100), batch);
    assert.equal(parts.length, 1);
    assert.deepEqual([parts[0]?.threads.length, parts[0]?.inline], [100, 100]);
  });

  it('splits 101 threads into 100 + 1 and 250 into 100 + 100 + 50, with the fewest creates', () => {
    assert.deepEqual(
      splitIntoParts(threads(101), batch).map((p) => [p.threads.length, p.inline]),
      [
        [100, 100],
        [1, 1],
      ],
    );
    assert.deepEqual(
      splitIntoParts(threads(250), batch).map((p) => p.threads.length),
      [100, 100, 50],
    );
  });

  it('per-thread parts hold at most 99, created with their first thread only', () => {
    const parts = splitIntoParts(threads(250), { ...batch, strategy: 'per-thread' });
    assert.deepEqual(
      parts.map((p) => [p.threads.length, p.inline]),
      [
        [99, 1],
        [99, 1],
        [52, 1],
      ],
    );
  });

  it('appends what does not fit inline, and then caps the part at 99', () => {
    // 120 KiB each: two fit in 256 KiB with the envelope, the third does not.
    const big = threads(150, 120 * 1024);
    const parts = splitIntoParts(big, batch);
    assert.deepEqual(
      parts.map((p) => [p.threads.length, p.inline]),
      [
        [99, 2],
        [51, 2],
      ],
    );
  });

  it('a part opening with a thread too large for Create Conversation sends it without its files, then appends', () => {
    const list = [{ id: 0, bytes: 400 * 1024 }, ...threads(5)];
    assert.deepEqual(
      splitIntoParts(list, batch).map((p) => [p.threads.length, p.inline, p.deferFirstAttachments]),
      [[6, 1, true]],
    );
  });

  it('every part respects the caps whatever the sizes', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      const list = Array.from({ length: 1 + Math.floor(random() * 400) }, (_, i) => ({
        id: i,
        bytes: 200 + Math.floor(random() * random() * 200_000),
      }));
      const parts = splitIntoParts(list, batch);
      assert.equal(
        parts.reduce((n, p) => n + p.threads.length, 0),
        list.length,
      );
      for (const p of parts) {
        assert.ok(p.inline >= 1 && p.inline <= p.threads.length);
        if (p.inline === p.threads.length) assert.ok(p.threads.length <= 100);
        else assert.ok(p.threads.length <= 99);
        const inlineBytes = p.threads
          .slice(0, p.inline)
          .reduce((n, t) => n + t.bytes + 1, batch.envelopeBytes);
        assert.ok(p.inline === 1 || inlineBytes <= batch.maxRequestBytes);
      }
    }
  });
});

describe('compareThreads', () => {
  it('orders by created_at, then thread_id (numeric when numeric), then position', () => {
    const list = [
      { createdAt: '2024-01-01T10:00:01Z', threadId: '2', seq: 0 },
      { createdAt: '2024-01-01T10:00:00Z', threadId: '10', seq: 1 },
      { createdAt: '2024-01-01T10:00:00Z', threadId: '9', seq: 2 },
      { createdAt: '2024-01-01T10:00:00Z', threadId: undefined, seq: 3 },
      { createdAt: '2024-01-01T10:00:00Z', threadId: undefined, seq: 4 },
    ];
    assert.deepEqual(
      [...list].sort(compareThreads).map((t) => t.seq),
      [2, 1, 3, 4, 0],
    );
  });
});

describe('etaMinutes', () => {
  it('is writes × 2 points ÷ the budget', async () => {
    const { etaMinutes, formatDuration } = await import('../../src/run/progress.js');
    assert.equal(etaMinutes(300, 600), 1);
    assert.equal(formatDuration(etaMinutes(300, 600)), '1 min');
    assert.equal(formatDuration(etaMinutes(30_000, 400)), '2.5 h');
  });
});
