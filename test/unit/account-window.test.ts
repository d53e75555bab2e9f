import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountWindow } from '../../src/helpscout/account-window.js';

const MINUTE = 60_000;

/** Our own spending as a log of (time, points). */
function ourLog(entries: [number, number][]) {
  return (from: number, to: number) =>
    entries.filter(([at]) => at > from && at <= to).reduce((n, [, points]) => n + points, 0);
}

describe('AccountWindow', () => {
  it('counts as the others’ what the server counted and we did not spend', () => {
    const w = new AccountWindow(MINUTE, ourLog([[1_000, 40]]));
    assert.equal(w.known, false);
    w.observe({ limit: 600, remaining: 500, sentAt: 1_000, at: 1_300 });
    assert.equal(w.known, true);
    assert.equal(w.reserve, 60);
    assert.equal(w.leftForUs(600, 1_300), 600 - 40 - 60);
  });

  it('places the reset between the last low answer’s sending and the first high one’s arrival', () => {
    const w = new AccountWindow(MINUTE, ourLog([]));
    w.observe({ limit: 600, remaining: 300, sentAt: 9_800, at: 10_000 });
    w.observe({ limit: 600, remaining: 10, sentAt: 59_700, at: 59_900 });
    w.observe({ limit: 600, remaining: 590, sentAt: 59_900, at: 60_300 });
    assert.deepEqual(w.endBetween(60_300), { earliest: 119_700, latest: 120_300 });
    // The next reset, seen as tightly a window later, narrows it further.
    w.observe({ limit: 600, remaining: 20, sentAt: 119_850, at: 119_950 });
    w.observe({ limit: 600, remaining: 595, sentAt: 120_000, at: 120_200 });
    assert.deepEqual(w.endBetween(120_200), { earliest: 179_850, latest: 180_200 });
  });

  it('ignores an answer to a request sent before the window surely began', () => {
    const w = new AccountWindow(MINUTE, ourLog([]));
    w.observe({ limit: 600, remaining: 10, sentAt: 59_700, at: 59_800 });
    w.observe({ limit: 600, remaining: 590, sentAt: 59_800, at: 60_200 });
    const before = w.reserve;
    // Sent at 59,750: the old window's; counted now it would look like 590 points of the others.
    w.observe({ limit: 600, remaining: 5, sentAt: 59_750, at: 60_400 });
    assert.equal(w.reserve, before);
  });

  it('remembers the others’ pace for one window only', () => {
    const w = new AccountWindow(MINUTE, ourLog([]));
    w.observe({ limit: 600, remaining: 600, sentAt: 0, at: 100 });
    w.observe({ limit: 600, remaining: 590, sentAt: 59_900, at: 60_050 });
    w.observe({ limit: 600, remaining: 600, sentAt: 60_050, at: 60_200 });
    for (let t = 61_000; t < 120_000; t += 1_000)
      w.observe({
        limit: 600,
        remaining: 600 - Math.floor((t - 60_000) / 1_000) * 3,
        sentAt: t - 100,
        at: t,
      });
    assert.ok(w.reserve >= 170, `reserve ${w.reserve}`);
    // A quiet window, then the next one: nothing reserved.
    for (let t = 120_500; t < 240_000; t += 1_000)
      w.observe({ limit: 600, remaining: 600, sentAt: t - 100, at: t });
    assert.equal(w.reserve, 0);
  });
});
