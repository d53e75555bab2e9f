import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { FakeClock } from '../../src/util/clock.js';
import {
  bursts,
  type Competitor,
  type SimWindow,
  simulateSharedAccount,
  steady,
} from '../support/shared-account.js';

/** Lets pending promise callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RateLimiter', () => {
  it('spends the budget at once, then waits for the window to free points', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, { limit: 10 });
    for (let i = 0; i < 5; i++) await limiter.acquire(2);
    let sixth = false;
    void limiter.acquire(2).then(() => {
      sixth = true;
    });
    await flush();
    assert.equal(sixth, false);
    clock.advance(59_999);
    await flush();
    assert.equal(sixth, false);
    clock.advance(1);
    await flush();
    assert.equal(sixth, true);
  });

  it('never lets more than the limit into any 60-second span', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, { limit: 30 });
    const log: { at: number; cost: number }[] = [];
    let done = 0;
    for (let i = 0; i < 100; i++) {
      const cost = i % 3 === 0 ? 1 : 2;
      void limiter.acquire(cost).then(() => {
        log.push({ at: clock.now(), cost });
        done++;
      });
    }
    while (done < 100) {
      await flush();
      clock.advance(250);
    }
    for (const entry of log) {
      const inWindow = log
        .filter((e) => e.at >= entry.at && e.at < entry.at + 60_000)
        .reduce((n, e) => n + e.cost, 0);
      assert.ok(inWindow <= 30, `window from ${entry.at} holds ${inWindow}`);
    }
  });

  it('pauses everyone after a 429 for the time it names', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, { limit: 100 });
    limiter.pause(5_000);
    let passed = false;
    void limiter.acquire(1).then(() => {
      passed = true;
    });
    clock.advance(4_000);
    await flush();
    assert.equal(passed, false);
    clock.advance(1_000);
    await flush();
    assert.equal(passed, true);
    assert.equal(limiter.stats.throttled, 1);
  });

  it('learns the limit from the headers unless configured', () => {
    const clock = new FakeClock();
    const learnt = new RateLimiter(clock);
    learnt.observe('800', '790');
    assert.equal(learnt.currentLimit, 800);
    const fixed = new RateLimiter(clock, { limit: 200 });
    fixed.observe('800', '790');
    assert.equal(fixed.currentLimit, 200);
  });

  it('holds back when the server says other integrations spent the budget', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, { limit: 400 });
    limiter.observe('400', '1');
    let passed = false;
    void limiter.acquire(2).then(() => {
      passed = true;
    });
    await flush();
    assert.equal(passed, false);
    clock.advance(1_000);
    await flush();
    assert.equal(passed, true);
  });

  describe('on an account shared with other integrations (600 points a minute, 8 of ours in flight)', () => {
    const run = (competitor: Competitor) =>
      simulateSharedAccount({
        limit: 600,
        minutes: 7,
        workers: 8,
        latencyMs: [200, 600],
        stepMs: 50,
        competitor,
        seed: 7,
      });
    /** Windows strictly inside the run (the first and the last are partial). */
    const inner = (windows: SimWindow[]) => windows.slice(1, -1);
    const leftToUs = (w: SimWindow) => w.ours / (600 - w.others);

    it('alone, takes the whole limit without a 429', async () => {
      for (const w of inner(await run(() => 0))) {
        assert.equal(w.ours, 600);
        assert.equal(w.ours429, 0);
      }
    });

    it('leaves a steady competitor its 30 % and takes ≥ 0.95 of the rest, at most one 429 a window', async () => {
      const windows = inner(await run(steady(180)));
      for (const w of windows) assert.ok(w.ours429 <= 1, JSON.stringify(w));
      // Learnt within two windows: from then on the competitor is never refused.
      for (const w of windows.slice(2)) {
        assert.equal(w.others, 180, JSON.stringify(w));
        assert.equal(w.others429, 0, JSON.stringify(w));
        assert.ok(leftToUs(w) >= 0.95, JSON.stringify(w));
      }
    });

    it('leaves a bursty competitor (60 reads at once every 20 s) its share', async () => {
      const windows = inner(await run(bursts(60, 20_000)));
      for (const w of windows) assert.ok(w.ours429 <= 1, JSON.stringify(w));
      for (const w of windows.slice(3)) {
        assert.equal(w.others429, 0, JSON.stringify(w));
        assert.ok(leftToUs(w) >= 0.95, JSON.stringify(w));
      }
    });

    it('takes the budget back within two windows once the competitor stops', async () => {
      // Started 17 s into a minute: the competitor stops 37 s into the fourth window.
      const windows = await run(steady(180, 200_000));
      const quiet = windows.findIndex((w, i) => i > 0 && w.others === 0);
      assert.ok(quiet > 0);
      assert.ok((windows[quiet - 1] as SimWindow).others > 0);
      const second = windows[quiet + 1] as SimWindow;
      assert.ok(second.ours >= 0.97 * 600, JSON.stringify(windows));
      for (const w of windows.slice(quiet, -1)) assert.equal(w.ours429, 0);
    });
  });
});
