import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { FakeClock } from '../../src/util/clock.js';
import { mulberry32 } from '../../src/util/prng.js';

const MINUTE = 60_000;

/** One clock minute of the simulated account, as its server counted it. */
export interface SimWindow {
  ours: number;
  ours429: number;
  others: number;
  others429: number;
}

/** How many reads the other integration sends in [from, to) (ms since the simulation began). */
export type Competitor = (from: number, to: number) => number;

export interface SimOptions {
  limit: number;
  minutes: number;
  workers: number;
  /** Our requests' latency, uniform in this range (ms). */
  latencyMs: [number, number];
  /** Every how many ms the simulation steps (the competitor is asked once a step). */
  stepMs: number;
  competitor: Competitor;
  seed: number;
}

/**
 * An account whose server counts points in fixed clock minutes (writes 2), shared by hs-import's limiter
 * (workers sending writes forever, each waiting its latency, telling the limiter every answer and every 429)
 * and another integration whose reads the server counts as they come. Everything on a FakeClock; returns
 * each clock minute's counts.
 */
export async function simulateSharedAccount(o: SimOptions): Promise<SimWindow[]> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 17));
  const begin = clock.now();
  const limiter = new RateLimiter(clock);
  const random = mulberry32(o.seed);
  const windows = new Map<number, SimWindow>();
  const windowOf = (at: number) => {
    const key = Math.floor(at / MINUTE);
    let w = windows.get(key);
    if (!w) {
      w = { ours: 0, ours429: 0, others: 0, others429: 0 };
      windows.set(key, w);
    }
    return w;
  };
  const take = (cost: number): { ok: boolean; remaining: number; retryMs: number } => {
    const now = clock.now();
    const w = windowOf(now);
    const remaining = o.limit - w.ours - w.others;
    const retryMs = Math.ceil(((Math.floor(now / MINUTE) + 1) * MINUTE - now) / 1000) * 1000;
    return { ok: remaining >= cost, remaining, retryMs };
  };
  const end = begin + o.minutes * MINUTE;
  const worker = async () => {
    while (clock.now() < end) {
      await limiter.acquire(2);
      const sentAt = clock.now();
      await clock.sleep(o.latencyMs[0] + random() * (o.latencyMs[1] - o.latencyMs[0]));
      const answer = take(2);
      const w = windowOf(clock.now());
      if (answer.ok) w.ours += 2;
      const remaining = answer.ok ? answer.remaining - 2 : answer.remaining;
      limiter.observe(String(o.limit), String(Math.max(0, remaining)), sentAt);
      if (!answer.ok) {
        w.ours429 += 1;
        limiter.pause(answer.retryMs);
      }
    }
  };
  const workers = Array.from({ length: o.workers }, worker);
  while (clock.now() < end) {
    const t = clock.now() - begin;
    for (let n = o.competitor(t, t + o.stepMs); n > 0; n--) {
      const w = windowOf(clock.now());
      if (take(1).ok) w.others += 1;
      else w.others429 += 1;
    }
    clock.advance(o.stepMs);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }
  let done = false;
  const all = Promise.all(workers).then(() => {
    done = true;
  });
  while (!done) {
    clock.advance(o.stepMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await all;
  return [...windows.entries()].sort(([a], [b]) => a - b).map(([, w]) => w);
}

/** Reads at a steady pace, `perMinute` spread evenly, until `stopMs`. */
export const steady =
  (perMinute: number, stopMs = Number.POSITIVE_INFINITY): Competitor =>
  (from, to) => {
    const every = MINUTE / perMinute;
    const until = Math.min(to, stopMs);
    return until <= from ? 0 : Math.floor(until / every) - Math.floor(from / every);
  };

/** `size` reads at once every `everyMs`. */
export const bursts =
  (size: number, everyMs: number): Competitor =>
  (from, to) =>
    (Math.floor(to / everyMs) - Math.floor(from / everyMs)) * size;
