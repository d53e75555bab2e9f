import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';
import { parseJsonBody, type Reply, readBody } from './http-io.js';
import type {
  EmulatorAudit,
  EmulatorState,
  EmulatorStats,
  FaultOptions,
  TokenFaultOptions,
} from './types.js';
import { isObject, readId } from './validation/problems.js';

export interface AdminApi {
  state(): EmulatorState;
  stats(): EmulatorStats;
  setFaults(f: FaultOptions | undefined): void;
  setTokenFaults(f: TokenFaultOptions | undefined): void;
  setAccessDenied(denied: boolean): void;
  audit(): EmulatorAudit;
  merge(from: number, into: number): void;
}

const JSON_TYPE = 'application/json';

/**
 * `/_emulator/*`: the library's admin functions over HTTP for tools that run the emulator as a separate
 * process. Free of auth, rate limit and faults.
 */
export async function handleAdmin(req: IncomingMessage, pathname: string, api: AdminApi): Promise<Reply> {
  const method = req.method ?? 'GET';
  const path = pathname.replace(/\/+$/, '');
  if (method === 'GET' && path === '/_emulator/state') {
    return { status: 200, body: api.state(), contentType: JSON_TYPE };
  }
  if (method === 'GET' && path === '/_emulator/stats') {
    return { status: 200, body: api.stats(), contentType: JSON_TYPE };
  }
  if (method === 'GET' && path === '/_emulator/audit') {
    return { status: 200, body: api.audit(), contentType: JSON_TYPE };
  }
  if (method === 'PUT' && (path === '/_emulator/faults' || path === '/_emulator/token-faults')) {
    const body = await objectOrNull(req, 'faults');
    if (path === '/_emulator/faults') api.setFaults(body === null ? undefined : (body as FaultOptions));
    else api.setTokenFaults(body === null ? undefined : (body as TokenFaultOptions));
    return { status: 204 };
  }
  if (method === 'PUT' && path === '/_emulator/access') {
    const body = await objectOrNull(req, 'access');
    if (body === null || typeof body.denied !== 'boolean') {
      throw new ApiError(400, 'body must be {"denied": true} or {"denied": false}');
    }
    api.setAccessDenied(body.denied);
    return { status: 204 };
  }
  if (method === 'POST' && path === '/_emulator/merge') {
    const body = parseJsonBody((await readBody(req, 1024 * 1024)).bytes);
    const from = isObject(body) ? readId(body.from) : undefined;
    const into = isObject(body) ? readId(body.into) : undefined;
    if (from === undefined || into === undefined)
      throw new ApiError(400, 'body must be {"from": id, "into": id}');
    try {
      api.merge(from, into);
    } catch (err) {
      throw new ApiError(404, (err as Error).message);
    }
    return { status: 204 };
  }
  throw new ApiError(404, `No emulator admin route for ${method} ${pathname}`);
}

/** A JSON object body, or null for an empty body or `null`. */
async function objectOrNull(req: IncomingMessage, what: string): Promise<Record<string, unknown> | null> {
  const { bytes } = await readBody(req, 1024 * 1024);
  const text = bytes.toString('utf8').trim();
  const body = text === '' ? null : parseJsonBody(bytes);
  if (body !== null && !isObject(body)) throw new ApiError(400, `${what} must be a JSON object or null`);
  return body;
}
