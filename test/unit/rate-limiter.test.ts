import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { FakeClock } from '../../src/util/clock.js';

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
});
