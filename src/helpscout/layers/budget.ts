import { isRead, rateLimitCost } from '../../api/api-types.js';
import type { Clock } from '../../util/clock.js';
import { FatalError, StoppedError } from '../../util/errors.js';
import type { AdaptiveConcurrency } from '../adaptive-concurrency.js';
import type { RateLimiter } from '../rate-limiter.js';
import { type HttpResponse, header } from '../transport.js';
import { type Layer, pathOf } from './layer.js';

export interface BudgetStats {
  writes: number;
  reads: number;
  throttled: number;
  /** Requests waiting for their points right now: the progress line's "waiting for the rate-limit window". */
  waitingForBudget?: number;
}

export interface BudgetOptions {
  limiter: RateLimiter;
  inFlight: AdaptiveConcurrency;
  clock: Clock;
  stats: BudgetStats;
  signal?: AbortSignal | undefined;
  /** The run gives up when no request at all was accepted for this long while 429s kept coming. */
  throttleTimeoutMs: number;
  /** Told of every 429 and how long everyone now waits: the progress line and the log show it. */
  onThrottled?(waitMs: number, path: string): void;
}

/** A 429 with no usable wait (or `0`) still waits this long, doubling while 429s follow one another. */
const MIN_THROTTLE_WAIT_MS = 1_000;
const MAX_THROTTLE_WAIT_MS = 60_000;

/**
 * Every request waits for its points (writes 2, reads 1) and for an in-flight slot, and its answer corrects the
 * budget. A 429 did nothing: everyone pauses for the time it names and the request goes again, bounded by
 * time: after `throttleTimeoutMs` without a single accepted request, the run stops and says why.
 */
export function withBudget(options: BudgetOptions): Layer {
  const { limiter, inFlight, clock, stats, signal } = options;
  let lastAccepted = clock.now();
  return (next) => async (req) => {
    const cost = rateLimitCost(req.method);
    const what = `${req.method} ${pathOf(req.path)}`;
    for (let throttled = 0; ; throttled++) {
      if (signal?.aborted) throw new StoppedError(what);
      stats.waitingForBudget = (stats.waitingForBudget ?? 0) + 1;
      try {
        await limiter.acquire(cost, signal);
      } catch (error) {
        throw signal?.aborted ? new StoppedError(what) : error;
      } finally {
        stats.waitingForBudget = (stats.waitingForBudget ?? 1) - 1;
      }
      if (isRead(req.method)) stats.reads += 1;
      else stats.writes += 1;
      await inFlight.acquire();
      const sentAt = clock.now();
      let res: HttpResponse;
      try {
        res = await next(req);
      } finally {
        inFlight.release(clock.now() - sentAt);
      }
      limiter.observe(
        header(res, 'x-ratelimit-limit-minute'),
        header(res, 'x-ratelimit-remaining-minute'),
        sentAt,
      );
      if (res.status !== 429) {
        lastAccepted = clock.now();
        return res;
      }
      stats.throttled += 1;
      if (clock.now() - lastAccepted >= options.throttleTimeoutMs) {
        throw new FatalError(
          'RATE_LIMITED',
          `Help Scout refused every request with 429 for ${Math.round((clock.now() - lastAccepted) / 60_000)} minutes: another integration may be using the account's whole rate limit. Nothing is lost: run again later.`,
          { path: pathOf(req.path) },
        );
      }
      const floor = Math.min(MAX_THROTTLE_WAIT_MS, MIN_THROTTLE_WAIT_MS * 2 ** throttled);
      const waitMs = Math.max(retryAfterMs(res) ?? 0, floor);
      limiter.pause(waitMs);
      options.onThrottled?.(waitMs, pathOf(req.path));
    }
  };
}

/** `X-RateLimit-Retry-After` (Help Scout's) or the standard `Retry-After`, in ms. */
function retryAfterMs(res: HttpResponse): number | undefined {
  const seconds = Number(header(res, 'x-ratelimit-retry-after') ?? header(res, 'retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
