import type { EmulatorStats } from '../src/emulator/index.js';
import { type Clock, systemClock } from '../src/util/clock.js';

const MINUTE = 60_000;

export interface WindowCount {
  /** Start of the clock minute (ms since the epoch). */
  start: number;
  points: number;
  rateLimited: number;
  /** Answers of the route `WindowClock` was told to follow: accepted (200) and refused (429). */
  route?: { ok: number; refused: number };
}

/**
 * The emulator's clock, which also cuts its counters at every clock minute. The emulator's rate limiter
 * asks the clock for the time before it spends or refuses anything, so the first `now()` of a new minute
 * comes before any request of that minute is counted: a snapshot taken right then holds exactly what the
 * previous window accepted and refused.
 */
export class WindowClock implements Clock {
  readonly windows: WindowCount[] = [];
  private minute: number | undefined;
  private last = { points: 0, rateLimited: 0, ok: 0, refused: 0 };
  private stats: (() => EmulatorStats) | undefined;

  /** `route`: a key of `stats().requests` (e.g. `GET /v2/mailboxes`) counted apart in every window. */
  constructor(private readonly route?: string) {}

  /** Binds the emulator once it exists (it needs this clock to start). */
  watch(stats: () => EmulatorStats): void {
    this.stats = stats;
  }

  now(): number {
    const now = systemClock.now();
    const minute = Math.floor(now / MINUTE);
    if (minute !== this.minute) this.cut(minute);
    return now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }

  /** Closes the window in progress (the run is over). */
  finish(): void {
    this.cut(Math.floor(systemClock.now() / MINUTE) + 1);
  }

  private cut(minute: number): void {
    if (this.minute !== undefined && this.stats) {
      const s = this.stats();
      const byStatus = this.route ? (s.requests[this.route] ?? {}) : {};
      const ok = byStatus['200'] ?? 0;
      const refused = byStatus['429'] ?? 0;
      this.windows.push({
        start: this.minute * MINUTE,
        points: s.pointsSpent - this.last.points,
        rateLimited: s.rateLimited - this.last.rateLimited,
        ...(this.route ? { route: { ok: ok - this.last.ok, refused: refused - this.last.refused } } : {}),
      });
      this.last = { points: s.pointsSpent, rateLimited: s.rateLimited, ok, refused };
      // Minutes in which nothing asked for the time saw no request at all.
      for (let m = this.minute + 1; m < minute; m++)
        this.windows.push({
          start: m * MINUTE,
          points: 0,
          rateLimited: 0,
          ...(this.route ? { route: { ok: 0, refused: 0 } } : {}),
        });
    }
    this.minute = minute;
  }
}

/** The windows strictly between the first and the last that saw any spending: the only full ones. */
export function fullWindows(windows: readonly WindowCount[]): WindowCount[] {
  const busy = windows.map((w, i) => (w.points > 0 || w.rateLimited > 0 ? i : -1)).filter((i) => i >= 0);
  if (busy.length < 3) return [];
  return windows.slice((busy[0] as number) + 1, busy[busy.length - 1] as number);
}
