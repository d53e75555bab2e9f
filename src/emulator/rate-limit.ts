import { rateLimitCost } from '../api/api-types.js';
import type { Clock } from '../util/clock.js';

const MINUTE = 60_000;

export type RateDecision = { allowed: true; cost: number } | { allowed: false; retryAfterSeconds: number };

/**
 * The account's per-minute budget: a fixed window aligned on clock minutes, writes cost 2 and reads 1.
 * A request that does not fit is refused whole and costs nothing.
 */
export class RateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private spent = 0;

  constructor(
    readonly limit: number,
    private readonly clock: Clock,
  ) {}

  take(method: string): RateDecision {
    this.roll();
    const cost = rateLimitCost(method);
    if (this.spent + cost > this.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((this.windowStart + MINUTE - this.clock.now()) / 1000));
      return { allowed: false, retryAfterSeconds };
    }
    this.spent += cost;
    return { allowed: true, cost };
  }

  headers(): Record<string, string> {
    this.roll();
    return {
      'X-RateLimit-Limit-Minute': String(this.limit),
      'X-RateLimit-Remaining-Minute': String(Math.max(0, this.limit - this.spent)),
    };
  }

  private roll(): void {
    const start = Math.floor(this.clock.now() / MINUTE) * MINUTE;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.spent = 0;
    }
  }
}
