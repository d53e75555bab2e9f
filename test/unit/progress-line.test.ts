import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { LOG_LINE_EVERY_MS, ProgressReporter } from '../../src/run/progress.js';
import {
  budgetShare,
  etaMs,
  formatElapsed,
  formatProgress,
  type ProgressSnapshot,
} from '../../src/run/progress-line.js';
import { emptyRunStats } from '../../src/run/stats.js';
import { StateStore } from '../../src/state/store.js';
import { FakeClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { tempDir } from '../support/temp-dir.js';

const sending: ProgressSnapshot = {
  phase: 'sending',
  elapsedMs: 190_000,
  sendingMs: 120_000,
  threadsDone: 420,
  threadsTotal: 1000,
  threadsThisRun: 240,
  writesLeft: 300,
  writes: 200,
  reads: 100,
  limitPerMinute: 400,
  throttled: 2,
  inDoubt: 1,
};

describe('the progress line', () => {
  it('names the phase, percent, elapsed, pace, writes left, budget, 429s, in doubt and ETA', () => {
    const line = formatProgress(sending);
    assert.equal(
      line,
      'sending 42% · 3m10s · 120 threads/min · 300 writes left · budget 63% of 400/min · 2 × 429 · 1 in doubt · ETA 3m00s',
    );
  });

  it('counts the threads sent so far as the rate of the first minute', () => {
    const early = formatProgress({ ...sending, sendingMs: 3_000, threadsThisRun: 50 });
    assert.match(early, / · 50 threads\/min · /);
  });

  it('shows only the phase and elapsed time while reading', () => {
    assert.equal(formatProgress({ ...sending, phase: 'reading', elapsedMs: 42_000 }), 'reading · 42s');
  });

  it('counts the reads each write needed in the ETA, not writes alone', () => {
    const writesOnly = etaMs({ ...sending, reads: 0, sendingMs: 10_000 });
    const withReads = etaMs({ ...sending, sendingMs: 10_000 });
    assert.equal(writesOnly, ((300 * 2) / 400) * 60_000);
    assert.equal(withReads, ((300 * 2.5) / 400) * 60_000);
  });

  it('trusts the measured pace after a minute when it is slower than the budget (waits, latency)', () => {
    // 200 writes in 10 minutes: the budget would allow far more, the pace says 15 minutes for 300.
    assert.equal(etaMs({ ...sending, sendingMs: 600_000 }), 900_000);
    assert.equal(etaMs({ ...sending, writesLeft: 0 }), 0);
  });

  it('measures a run shorter than a minute against one window, never above 100 %', () => {
    assert.equal(budgetShare(200, 0, 400, 10_000), 1);
    assert.equal(budgetShare(100, 0, 400, 120_000), 0.25);
    assert.equal(budgetShare(1, 0, 0, 10_000), null);
  });

  it('formats durations short', () => {
    assert.equal(formatElapsed(3_900_000), '1h05m');
    assert.equal(formatElapsed(59_400), '59s');
    assert.equal(formatElapsed(Number.POSITIVE_INFINITY), '?');
  });
});

describe('ProgressReporter', () => {
  const dir = tempDir('progress');

  function reporter(isTTY: boolean) {
    const store = StateStore.open(path.join(dir, `${isTTY}.sqlite`));
    const clock = new FakeClock();
    const written: string[] = [];
    const r = new ProgressReporter(store, clock, silentLogger(), { isTTY, write: (t) => written.push(t) });
    return { r, clock, written, store };
  }

  it('without a terminal writes one readable line a minute, whatever the ticks', () => {
    const { r, clock, written, store } = reporter(false);
    for (let second = 0; second < 59; second++) {
      clock.advance(1_000);
      r.tick();
    }
    assert.equal(written.length, 0);
    clock.advance(1_000);
    r.tick();
    r.planning();
    clock.advance(LOG_LINE_EVERY_MS - 1);
    r.tick();
    clock.advance(1);
    r.tick();
    assert.deepEqual(written, [
      'hs-import: 2026-01-01T00:01:00.000Z reading · 1m00s\n',
      'hs-import: 2026-01-01T00:02:00.000Z planning · 2m00s\n',
    ]);
    store.close();
  });

  it('on a terminal rewrites the line in place every tick, then reads the ledger once sending', () => {
    const { r, clock, written, store } = reporter(true);
    r.tick();
    r.sending(
      { stats: { writes: 0, reads: 0, throttled: 0, retries: 0, tokenRenewals: 0, waitingForBudget: 1 } },
      new RateLimiter(clock, { limit: 400 }),
      emptyRunStats(),
    );
    clock.advance(5_000);
    r.tick();
    assert.equal(written[0], '\r\u001b[2Kreading · 0s');
    assert.ok(
      written[1]?.startsWith('\r\u001b[2Kwaiting for the rate-limit window 100% · 5s · 0 threads/min'),
      written[1],
    );
    store.close();
  });

  it('names the phase "in doubt, waiting" only while the run sleeps for creates in doubt to be listed', () => {
    const { r, clock, written, store } = reporter(true);
    const stats = emptyRunStats();
    const noRequests = { writes: 0, reads: 0, throttled: 0, retries: 0, tokenRenewals: 0 };
    r.sending({ stats: noRequests }, new RateLimiter(clock, { limit: 400 }), stats);
    // A write in doubt while other conversations are still sent: sending, and counted.
    stats.inDoubt = 1;
    r.tick();
    assert.ok(written.at(-1)?.startsWith('\r\u001b[2Ksending 100% · '), written.at(-1));
    assert.match(written.at(-1) ?? '', / · 1 in doubt · /);
    // Nothing else left: the run sleeps until Help Scout's lists may show it.
    stats.waitingReadBack = 1;
    r.tick();
    assert.ok(written.at(-1)?.startsWith('\r\u001b[2Kin doubt, waiting 100% · '), written.at(-1));
    stats.waitingReadBack = 0;
    stats.resolvedFound = 1;
    r.tick();
    assert.ok(written.at(-1)?.startsWith('\r\u001b[2Ksending 100% · '), written.at(-1));
    assert.match(written.at(-1) ?? '', / · 0 in doubt · /);
    store.close();
  });
});
