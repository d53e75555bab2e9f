import { isRead } from '../../api/api-types.js';
import type { Clock } from '../../util/clock.js';
import { HsImportError, StoppedError } from '../../util/errors.js';
import { BadAnswerError, firstBytes, isJsonBody } from '../answers.js';
import { ApiError, InDoubtError, NotSentError } from '../errors.js';
import { type RetryPolicy, retrying } from '../retry-policy.js';
import type { HttpRequest } from '../transport.js';
import { type Layer, pathOf } from './layer.js';

export interface RetryStats {
  retries: number;
}

/**
 * Whether a request may be repeated follows from its method: reads and deletes may (doing them twice does no
 * harm), creates never, as nothing lets Help Scout recognise a repeated create. A request that provably never
 * left may always go again. A create whose answer was lost, or a 5xx on it, is in doubt: read back, not resent.
 */
export function withRetry(policy: RetryPolicy, clock: Clock, stats: RetryStats, signal?: AbortSignal): Layer {
  return (next) => (req) => {
    const repeatable = mayRepeat(req);
    const what = `${req.method} ${pathOf(req.path)}`;
    return retrying(
      async () => {
        const res = await next(req);
        if (res.status >= 500) {
          if (!repeatable) throw new InDoubtError(req.method, pathOf(req.path), `status ${res.status}`);
          throw new ApiError(req.method, pathOf(req.path), res.status, undefined);
        }
        // A proxy's or a captive portal's page instead of Help Scout's JSON: read again.
        if (isRead(req.method) && res.status < 300 && !isJsonBody(res)) throw new BadAnswerError(req, res);
        // Help Scout answers a create with 201; any other success came from something in between (a portal's
        // 200 page), and whether the create reached Help Scout is unknown: read back, never taken as made.
        if (!repeatable && res.status < 300 && res.status !== 201) {
          throw new InDoubtError(
            req.method,
            pathOf(req.path),
            `answered ${res.status} instead of 201, body ${firstBytes(res.body)}`,
          );
        }
        return res;
      },
      {
        policy,
        clock,
        signal,
        shouldRetry: (error) =>
          error instanceof NotSentError ||
          (repeatable &&
            (error instanceof InDoubtError ||
              error instanceof BadAnswerError ||
              (error instanceof ApiError && error.status >= 500))),
        onRetry: () => {
          stats.retries += 1;
        },
      },
    ).catch((error: unknown) => {
      // Stopped while waiting to retry: this attempt was not sent.
      if (signal?.aborted && !(error instanceof HsImportError)) throw new StoppedError(what);
      throw error;
    });
  };
}

function mayRepeat(req: HttpRequest): boolean {
  return isRead(req.method) || req.method === 'DELETE' || req.method === 'PUT';
}
