import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AdminApi, handleAdmin } from './admin.js';
import { ApiError, vndErrorBody } from './api-error.js';
import type { FaultInjector } from './faults.js';
import type { HandlerContext } from './handlers/context.js';
import { JSON_UTF8, parseJsonBody, type Reply, readBody, VND_ERROR, writeReply } from './http-io.js';
import type { RateLimiter } from './rate-limit.js';
import { matchRoute } from './routes.js';
import type { StatsRecorder } from './stats.js';
import type { TokenFaultInjector } from './token-faults.js';
import { handleTokenRequest, type TokenRegistry } from './tokens.js';
import { handleWeb } from './web/router.js';
import type { WebSource } from './web/source.js';

export interface Pipeline {
  ctx: HandlerContext;
  tokens: TokenRegistry;
  limiter: RateLimiter;
  faults: FaultInjector;
  tokenFaults: TokenFaultInjector;
  /** While `denied`, every API call answers 403 (the account's API is disabled). */
  access: { denied: boolean };
  stats: StatsRecorder;
  admin: AdminApi;
  web: WebSource;
  /** Aborted on close, so latency and stall sleeps end with the server. */
  closing: AbortSignal;
}

const TOKEN_PATH = '/v2/oauth2/token';
const NO_CACHE = 'no-cache, no-store, max-age=0, must-revalidate';
const READ_METHODS = new Set(['GET', 'HEAD']);
let logCounter = 0;

function errorReply(err: ApiError): Reply {
  const logRef = `${randomUUID()}#${++logCounter}`;
  if (err.status === 301) return { status: 301, headers: err.headers };
  return {
    status: err.status,
    headers: err.headers,
    body: vndErrorBody(err, logRef),
    contentType: VND_ERROR,
  };
}

/** A 400 that names no field: `errorsWithoutPath`. */
function withoutFieldErrors(reply: Reply): Reply {
  const { _embedded: _, ...body } = reply.body as Record<string, unknown>;
  return { ...reply, body };
}

/**
 * Order for every /v2 call: route → latency → reset/stall faults → auth → rate limit → 5xx fault → body
 * (413, JSON) → handler (commit) → drop fault → answer.
 */
export async function handleRequest(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', p.ctx.origin);
  const pathname = url.pathname;
  if (pathname.startsWith('/_emulator/')) {
    writeReply(res, await handleAdmin(req, pathname, p.admin).catch(toReply), {});
    return;
  }
  if (pathname !== '/v2' && !pathname.startsWith('/v2/')) {
    // The read-only web view: not an API call, so no auth, budget, faults or stats.
    handleWeb(req, res, url, p.web);
    return;
  }
  const where = `${pathname}${url.search}`;
  const isToken = method === 'POST' && pathname.replace(/\/+$/, '') === TOKEN_PATH;
  const match = isToken ? undefined : matchRoute(method, pathname);
  if (!isToken && !match) {
    p.stats.record(`${method} (no route)`, 404, where);
    const err = new ApiError(404, `The emulator has no route for ${method} ${pathname}`);
    writeReply(res, errorReply(err), { 'Cache-Control': NO_CACHE });
    return;
  }
  const routeName = isToken ? `POST ${TOKEN_PATH}` : `${method} ${match?.route.template}`;
  const latency = p.faults.latency();
  const fault = isToken ? undefined : p.faults.decide(method);
  if (latency > 0 && !(await sleep(p, latency, req))) return;
  if (fault?.kind === 'resetBeforeCommit' || fault?.kind === 'stall') {
    p.stats.fault(fault.kind);
    if (fault.kind === 'stall' && !(await sleep(p, p.faults.stallMs, req))) return;
    p.stats.record(routeName, fault.kind === 'stall' ? 'stalled' : 'reset', where);
    req.socket.destroy();
    return;
  }
  if (isToken) {
    await answerToken(p, req, res, routeName, where);
    return;
  }
  const common = () => ({
    'Cache-Control': NO_CACHE,
    'Correlation-Id': randomUUID(),
    ...p.limiter.headers(),
  });
  const answer = (reply: Reply) => {
    p.stats.record(routeName, reply.status, where);
    writeReply(res, reply, common());
  };
  if (!p.tokens.authorizes(req.headers.authorization)) {
    answer(errorReply(new ApiError(401, 'Unauthorized: a valid bearer token is required')));
    return;
  }
  if (p.access.denied) {
    // Account-wide (helpscout-api.md): the API is disabled or payment information is missing.
    p.stats.denied();
    answer(errorReply(new ApiError(403, 'Access denied')));
    return;
  }
  const decision = p.limiter.take(method);
  if (!decision.allowed) {
    const retry = String(decision.retryAfterSeconds);
    answer({
      status: 429,
      body: { message: 'API rate limit exceeded' },
      contentType: JSON_UTF8,
      headers: {
        'X-RateLimit-Retry-After': retry,
        ...(p.ctx.opts.standardRetryAfterHeader ? { 'Retry-After': retry } : {}),
      },
    });
    return;
  }
  p.stats.spend(decision.cost);
  if (fault?.kind === 'serverError') {
    p.stats.fault('serverError');
    answer(
      errorReply(
        new ApiError(fault.status, fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
      ),
    );
    return;
  }
  let reply: Reply;
  try {
    let body: unknown;
    if (!READ_METHODS.has(method) && method !== 'DELETE') {
      const limits = {
        createConversation: p.ctx.opts.maxCreateConversationBytes,
        thread: p.ctx.opts.maxThreadRequestBytes,
        request: p.ctx.opts.maxRequestBytes,
      };
      const limit = limits[match?.route.bodyLimit ?? 'request'];
      const read = await readBody(req, limit);
      if (read.tooLarge) throw new ApiError(413, `Request entity too large: more than ${limit} bytes`);
      body = parseJsonBody(read.bytes);
      const refusal = p.faults.refusal(method, body);
      if (refusal) throw refusal;
    }
    reply = (match as NonNullable<typeof match>).route.handler(p.ctx, {
      method,
      pathname,
      params: match?.params ?? {},
      query: url.searchParams,
      body,
    });
  } catch (err) {
    reply = toReply(err);
    if (reply.status === 400 && p.faults.errorsWithoutPath) reply = withoutFieldErrors(reply);
  }
  if (fault?.kind === 'dropAfterCommit') {
    p.stats.fault('dropAfterCommit');
    p.stats.record(routeName, 'dropped', where);
    req.socket.destroy();
    return;
  }
  answer(reply);
}

/** The token endpoint, behind its own faults (free of the API's rate limit and faults). */
async function answerToken(
  p: Pipeline,
  req: IncomingMessage,
  res: ServerResponse,
  routeName: string,
  where: string,
) {
  const outcome = p.tokenFaults.next();
  if (outcome === 'stall') {
    p.stats.tokenFault('stall');
    if (!(await sleep(p, p.tokenFaults.stallMs, req))) return;
    p.stats.record(routeName, 'stalled', where);
    req.socket.destroy();
    return;
  }
  const { bytes } = await readBody(req, p.ctx.opts.maxRequestBytes);
  let reply: Reply;
  if (outcome === '429') {
    p.stats.tokenFault('rateLimited');
    reply = {
      status: 429,
      body: { message: 'API rate limit exceeded' },
      contentType: JSON_UTF8,
      headers: { 'X-RateLimit-Retry-After': '1' },
    };
  } else if (outcome === '500' || outcome === '503') {
    p.stats.tokenFault('serverError');
    const status = Number(outcome);
    reply = errorReply(
      new ApiError(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
    );
  } else {
    reply = handleTokenRequest(req.headers, bytes, p.ctx.opts, p.tokens);
  }
  p.stats.record(routeName, reply.status, where);
  writeReply(res, reply, {});
}

function toReply(err: unknown): Reply {
  if (err instanceof ApiError) return errorReply(err);
  // An emulator bug: answer 500 loudly rather than hide it.
  console.error('[emulator] internal error', err);
  return errorReply(new ApiError(500, `Emulator internal error: ${(err as Error)?.message ?? String(err)}`));
}

/** Sleeps on the injected clock; false when the emulator closed meanwhile (the socket is then destroyed). */
async function sleep(p: Pipeline, ms: number, req: IncomingMessage): Promise<boolean> {
  try {
    await p.ctx.opts.clock.sleep(ms, p.closing);
    return true;
  } catch {
    req.socket.destroy();
    return false;
  }
}
