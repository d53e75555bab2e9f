import pRetry from 'p-retry';
import type { Clock } from '../util/clock.js';

export interface RetryPolicy {
  /** Retries after the first attempt, for answers that prove nothing was done or for reads. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, minDelayMs: 500, maxDelayMs: 30_000 };

/** Exponential backoff with full jitter: spreads the retries of many workers after a shared failure. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return Math.round(policy.minDelayMs / 2 + random() * (ceiling - policy.minDelayMs / 2));
}

export async function sleepBackoff(
  clock: Clock,
  policy: RetryPolicy,
  attempt: number,
  signal?: AbortSignal,
): Promise<void> {
  await clock.sleep(backoffDelay(policy, attempt), signal);
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** Whether this failure may be tried again; anything else is thrown at once. */
  shouldRetry(error: Error): boolean;
  /** The wait before retry `attempt` (from 0); default: backoff with jitter within the policy. */
  delayMs?(attempt: number): number;
  /** Told before each wait: counts and logs. */
  onRetry?(error: Error, attempt: number): void;
}

/**
 * The one retry helper, for reads, the token request and the read-back's waits: p-retry decides and counts,
 * and every wait goes through the injected clock (p-retry's own timer is set to zero), so tests never wait.
 * A stop (the signal) ends a wait between attempts, never an attempt.
 */
export function retrying<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { policy, clock, signal } = options;
  return pRetry(attempt, {
    retries: policy.retries,
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    // Not p-retry's `signal`: it throws away an attempt's result when the signal aborts meanwhile, and a
    // create that Help Scout carried out must never be taken for one that was not. A stop ends the waits.
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!options.shouldRetry(error)) return false;
      options.onRetry?.(error, retriesConsumed);
      await clock.sleep(options.delayMs?.(retriesConsumed) ?? backoffDelay(policy, retriesConsumed), signal);
      return true;
    },
  });
}
