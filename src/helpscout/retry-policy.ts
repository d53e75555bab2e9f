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
