import type { Clock } from '../../src/util/clock.js';

/** A clock whose sleeps return at once and move time forward: for logic that waits, tested without waiting. */
export function instantClock(start = Date.UTC(2026, 0, 1)): Clock & { slept: number } {
  let now = start;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
}
