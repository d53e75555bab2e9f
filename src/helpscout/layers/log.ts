import type { Logger } from 'pino';
import { rateLimitCost } from '../../api/api-types.js';
import type { Clock } from '../../util/clock.js';
import { header } from '../transport.js';
import { type Layer, pathOf } from './layer.js';

/** Keys whose string values say how, not whom: kept in a traced body. Every other string is masked. */
const PLAIN_KEYS = new Set([
  'type',
  'status',
  'state',
  'createdAt',
  'modifiedAt',
  'closedAt',
  'updatedAt',
  'mimeType',
  'source',
  'via',
  'role',
  'href',
  'templated',
]);

/**
 * A body as a trace may show it: the shape and the structural values, never a customer's data (emails,
 * names, phones, message text) nor a secret: every other string becomes its length.
 */
export function maskBody(body: string | undefined): unknown {
  if (body === undefined || body === '') return undefined;
  try {
    return mask(JSON.parse(body) as unknown, undefined);
  } catch {
    return `[${body.length} chars, not JSON]`;
  }
}

function mask(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') {
    return key !== undefined && PLAIN_KEYS.has(key) ? value : `[${value.length} chars]`;
  }
  if (Array.isArray(value)) return value.map((v) => mask(v, undefined));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
  }
  return value;
}

/**
 * Right above the transport: at `debug` every request's method, path (never its query, which may name a
 * customer), status, cost, time and the budget left; at `trace` the bodies too, masked. Headers are never
 * logged: the Authorization header is set by the layer above.
 */
export function withLog(log: Logger, clock: Clock): Layer {
  return (next) => async (req) => {
    if (!log.isLevelEnabled('debug')) return next(req);
    const startedAt = clock.now();
    const base = {
      event: 'http',
      method: req.method,
      path: pathOf(req.path),
      cost: rateLimitCost(req.method),
    };
    const trace = log.isLevelEnabled('trace');
    try {
      const res = await next(req);
      const entry = {
        ...base,
        status: res.status,
        ms: clock.now() - startedAt,
        remaining: header(res, 'x-ratelimit-remaining-minute') ?? null,
      };
      if (trace) log.trace({ ...entry, requestBody: maskBody(req.body), responseBody: maskBody(res.body) });
      else log.debug(entry);
      return res;
    } catch (error) {
      log.debug({ ...base, status: null, ms: clock.now() - startedAt, error: (error as Error).message });
      throw error;
    }
  };
}
