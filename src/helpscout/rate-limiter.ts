import type { Clock } from '../util/clock.js';
import { AccountWindow } from './account-window.js';

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

/** Extra room left to the others above their measured pace: their pace jitters, and our measure lags. */
const OTHERS_MARGIN = 0.05;
/** While shared, how much of our share may go at once. */
const BURST_SHARE = 0.05;

/**
 * A shared budget of points per window, in front of every request. Our own spending is kept in a log, so no
 * 60-second span of any phase ever receives more than the limit from us. The account's limit is shared with
 * its other integrations: the answers' `X-RateLimit-Remaining-Minute` against our own spending tells what they
 * spend (`AccountWindow`), and we leave them as much as they spent lately in each window. A 429 pauses
 * everyone for the time it names. Pure apart from the injected clock.
 */
export class RateLimiter {
  private limit: number;
  private readonly fixedLimit: boolean;
  private readonly windowMs: number;
  private readonly spent: { at: number; cost: number }[] = [];
  private readonly account: AccountWindow;
  private pausedUntil = 0;
  private probeAt: number | undefined;
  private readonly paced = { tokens: 0, at: 0 };
  private queue: Promise<void> = Promise.resolve();
  readonly stats: RateLimitStats = { pausedMs: 0, throttled: 0 };

  constructor(
    private readonly clock: Clock,
    options: RateLimiterOptions = {},
  ) {
    this.fixedLimit = options.limit !== undefined;
    this.limit = options.limit ?? options.initialLimit ?? 200;
    this.windowMs = options.windowMs ?? 60_000;
    this.account = new AccountWindow(this.windowMs, (from, to) => this.ours(from, to));
  }

  get currentLimit(): number {
    return this.limit;
  }

  /** Points a window the account's other integrations are expected to spend (0 when alone). */
  get othersReserve(): number {
    return this.account.reserve;
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
        this.paced.tokens -= cost;
        return;
      }
      this.stats.pausedMs += delay;
      await this.clock.sleep(delay, signal);
    }
  }

  private delayFor(cost: number, now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    while (this.spent.length > 0 && (this.spent[0]?.at ?? 0) <= now - 2 * this.windowMs) this.spent.shift();
    const used = this.ours(now - this.windowMs, now);
    if (used + cost > this.limit) {
      // Wait until enough of our own spending leaves the window.
      let freed = 0;
      for (const s of this.spent) {
        if (s.at <= now - this.windowMs) continue;
        freed += s.cost;
        if (used - freed + cost <= this.limit) return s.at + this.windowMs - now;
      }
    }
    const paced = this.pacedDelay(cost, this.ourShare(), now);
    return paced > 0 ? paced : this.accountDelay(cost, now);
  }

  /** Our points a window: the limit, less what the others spend and a margin for their jitter. */
  private ourShare(): number {
    const reserve = this.account.reserve;
    if (reserve <= 0) return this.limit;
    return Math.max(2, Math.floor(this.limit - reserve * (1 + OTHERS_MARGIN)));
  }

  /**
   * Shared with others, our share is spread evenly over the window (a small burst allowed): the account is
   * never emptied early, so the others are never refused, and the answers keep coming across each reset,
   * which is how the window is found and the others' spending measured. Alone, we spend as fast as allowed.
   */
  private pacedDelay(cost: number, share: number, now: number): number {
    const capacity = Math.max(2 * cost, share * BURST_SHARE);
    const p = this.paced;
    p.tokens =
      share >= this.limit ? capacity : Math.min(capacity, p.tokens + ((now - p.at) * share) / this.windowMs);
    p.at = now;
    return p.tokens >= cost ? 0 : Math.ceil(((cost - p.tokens) * this.windowMs) / share);
  }

  /** Holds back what the account's window has left for the others; 0 when we may send. */
  private accountDelay(cost: number, now: number): number {
    const reserve = this.account.reserve;
    const margin = Math.ceil(reserve * OTHERS_MARGIN);
    if (this.account.leftForUs(this.limit, now) - margin >= cost) {
      this.probeAt = undefined;
      return 0;
    }
    const end = this.account.endBetween(now);
    if (!end) return this.probe(now);
    if (end.latest - end.earliest <= this.windowMs / 20) return end.latest - now + 1;
    if (now < end.earliest) return end.earliest - now + 1;
    // The window may have ended: one request a second asks, until an answer shows the reset.
    return Math.min(this.probe(now), end.latest - now + 1);
  }

  /** 0 once a second (one request may go and ask the server), else the time until then. */
  private probe(now: number): number {
    if (this.probeAt === undefined) this.probeAt = now + Math.min(1000, this.windowMs / 60);
    if (now < this.probeAt) return this.probeAt - now;
    this.probeAt = undefined;
    return 0;
  }

  private ours(from: number, to: number): number {
    let sum = 0;
    for (const s of this.spent) if (s.at > from && s.at <= to) sum += s.cost;
    return sum;
  }

  /**
   * Corrects the budget from an answer's headers; `sentAt` is when the request it answers was sent (the
   * server counted it somewhere between then and now).
   */
  observe(limitHeader: string | undefined, remainingHeader: string | undefined, sentAt?: number): void {
    const limit = Number(limitHeader);
    if (!this.fixedLimit && Number.isFinite(limit) && limit > 0) this.limit = limit;
    const remaining = Number(remainingHeader);
    if (remainingHeader === undefined || remainingHeader === '' || !Number.isFinite(remaining)) return;
    const at = this.clock.now();
    this.account.observe({ limit: this.limit, remaining, sentAt: Math.min(sentAt ?? at, at), at });
  }

  /** A 429: nobody sends until `ms` has passed. */
  pause(ms: number): void {
    this.stats.throttled += 1;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }
}
