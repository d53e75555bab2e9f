import type { Clock } from '../util/clock.js';

export interface RateLimiterOptions {
  /** Points per window when known from config; otherwise learnt from `X-RateLimit-Limit-Minute`. */
  limit?: number | undefined;
  windowMs?: number;
  /** Budget assumed before the first answer tells the real one (the smallest plan's). */
  initialLimit?: number;
}

export interface RateLimitStats {
  pausedMs: number;
  throttled: number;
}

/**
 * A shared budget of points per window, in front of every request. Our own spending is kept in a sliding
 * log, so no window of any phase ever receives more than the limit from us; the server's
 * `X-RateLimit-Remaining-Minute` lowers what is left when other integrations of the account spend too; a 429
 * pauses everyone for the time it names. Pure apart from the injected clock.
 */
export class RateLimiter {
  private limit: number;
  private readonly fixedLimit: boolean;
  private readonly windowMs: number;
  private readonly spent: { at: number; cost: number }[] = [];
  private serverRemaining: { value: number; at: number } | undefined;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  readonly stats: RateLimitStats = { pausedMs: 0, throttled: 0 };

  constructor(
    private readonly clock: Clock,
    options: RateLimiterOptions = {},
  ) {
    this.fixedLimit = options.limit !== undefined;
    this.limit = options.limit ?? options.initialLimit ?? 200;
    this.windowMs = options.windowMs ?? 60_000;
  }

  get currentLimit(): number {
    return this.limit;
  }

  /** Waits until `cost` points may be spent, then records them. Callers are served in order. */
  acquire(cost: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitFor(cost, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitFor(cost: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const delay = this.delayFor(cost, now);
      if (delay <= 0) {
        this.spent.push({ at: now, cost });
        if (this.serverRemaining) this.serverRemaining.value -= cost;
        return;
      }
      this.stats.pausedMs += delay;
      await this.clock.sleep(delay, signal);
    }
  }

  private delayFor(cost: number, now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    while (this.spent.length > 0 && (this.spent[0]?.at ?? 0) <= now - this.windowMs) this.spent.shift();
    let used = 0;
    for (const s of this.spent) used += s.cost;
    if (used + cost > this.limit) {
      // Wait until enough of our own spending leaves the window.
      let freed = 0;
      for (const s of this.spent) {
        freed += s.cost;
        if (used - freed + cost <= this.limit) return s.at + this.windowMs - now;
      }
    }
    const server = this.serverRemaining;
    if (server && server.value < cost && now - server.at < this.windowMs) {
      // Someone else spent the account's budget: probe again shortly; a 429 will name the exact wait.
      this.serverRemaining = undefined;
      return Math.min(1000, this.windowMs / 60);
    }
    return 0;
  }

  /** Corrects the budget from an answer's headers. */
  observe(limitHeader: string | undefined, remainingHeader: string | undefined): void {
    const limit = Number(limitHeader);
    if (!this.fixedLimit && Number.isFinite(limit) && limit > 0) this.limit = limit;
    const remaining = Number(remainingHeader);
    if (remainingHeader !== undefined && Number.isFinite(remaining)) {
      this.serverRemaining = { value: remaining, at: this.clock.now() };
    }
  }

  /** A 429: nobody sends until `ms` has passed. */
  pause(ms: number): void {
    this.stats.throttled += 1;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.serverRemaining = undefined;
  }
}
