import { ApiError, InDoubtError } from '../helpscout/errors.js';
import { sleepBackoff } from '../helpscout/retry-policy.js';
import { FatalError, StoppedError } from '../util/errors.js';
import type { SendContext } from './send-context.js';

export type WriteResult =
  | { kind: 'ok' }
  | { kind: 'stopped' }
  /** Read back as not created more often than allowed: left pending for a later run. */
  | { kind: 'deferred' }
  /** Not found by a read-back, but lists may lag creation: still in doubt, read again after `until`. */
  | { kind: 'waiting'; until: number }
  /** Help Scout answered with an error: it did nothing. The caller records what that means. */
  | { kind: 'refused'; writeId: number; error: ApiError };

export interface WriteSteps<T> {
  /** Commits the intent to the write log and returns its id. */
  intent(): number;
  send(): Promise<T>;
  /** Records the outcome of an answered write (in the same transaction as its effects). */
  recordSent(writeId: number, result: T): void;
  /** Looks for the write in Help Scout; records found or not-created itself, and says which. */
  readBack(writeId: number): Promise<ReadBack>;
}

/** What a read-back concluded: found, not created (so it may be sent again), or not yet known. */
export type ReadBack = 'found' | 'not-created' | { waitUntil: number };

/**
 * The exactly-once protocol for one write, in one place: the intent is committed before the request leaves
 * and the outcome right after the answer. An answer lost in transit is resolved by reading back, and only a
 * write read back as not created is sent again (after a backoff, a bounded number of times). A stop noticed
 * before sending is recorded as not sent.
 */
export async function writeOnce<T>(ctx: SendContext, steps: WriteSteps<T>): Promise<WriteResult> {
  for (let resends = 0; ; resends++) {
    if (ctx.stop.aborted) return { kind: 'stopped' };
    const writeId = steps.intent();
    try {
      steps.recordSent(writeId, await steps.send());
      return { kind: 'ok' };
    } catch (error) {
      if (error instanceof StoppedError) {
        ctx.writes.finish(writeId, { kind: 'not-created', resolution: 'not sent: stopping' });
        return { kind: 'stopped' };
      }
      if (error instanceof ApiError) return { kind: 'refused', writeId, error };
      // Run-fatal (credentials, access denied, a 429 without end): answered or never sent, so not created.
      if (error instanceof FatalError) {
        ctx.writes.finish(writeId, { kind: 'not-created', resolution: `not created: ${error.code}` });
        throw error;
      }
      if (!(error instanceof InDoubtError)) throw error;
      ctx.writes.finish(writeId, { kind: 'in-doubt', reason: error.message });
      ctx.stats.inDoubt += 1;
      const readBack = await steps.readBack(writeId);
      if (readBack === 'found') return { kind: 'ok' };
      if (readBack !== 'not-created') return { kind: 'waiting', until: readBack.waitUntil };
      if (resends >= ctx.maxResends) return { kind: 'deferred' };
      await sleepBackoff(ctx.clock, ctx.retry, resends, ctx.stop);
    }
  }
}
