import { FatalError } from '../../util/errors.js';
import { answerMessage } from '../answers.js';
import type { TokenProvider } from '../token.js';
import { type Layer, pathOf } from './layer.js';

export interface AuthStats {
  tokenRenewals: number;
}

/**
 * Every request carries the bearer token. A 401 renews the token once and repeats the request (it did
 * nothing); a 401 that renewal cannot fix, or a 403 (access denied is account-wide: the API is disabled or
 * payment is missing), ends the run: nothing more can succeed, and nothing is lost.
 */
export function withAuth(tokens: TokenProvider, stats: AuthStats): Layer {
  return (next) => async (req) => {
    for (let renewed = false; ; renewed = true) {
      const token = await tokens.get();
      const res = await next({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
      const where = `${req.method} ${pathOf(req.path)}`;
      if (res.status === 401) {
        if (!renewed && tokens.invalidate(token)) {
          stats.tokenRenewals += 1;
          continue;
        }
        throw new FatalError(
          'BAD_CREDENTIALS',
          `Help Scout refused the access token (${where} answered 401).`,
        );
      }
      if (res.status === 403) {
        throw new FatalError(
          'ACCESS_DENIED',
          `Help Scout denied access (${where} answered 403: ${answerMessage(res)}). Access denied is account-wide: the API is disabled for the company or its payment information is missing. Fix it in Help Scout, then run the same command again: nothing was lost.`,
          { status: 403 },
        );
      }
      return res;
    }
  };
}
