import { Agent, request } from 'undici';
import { FatalError } from '../util/errors.js';
import { InDoubtError, NotSentError } from './errors.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text (JSON for reads and errors, empty for creates). */
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the API base, e.g. `conversations/1/chats`, or an absolute URL (HAL `next` links). */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends one request: nothing about tokens, rate limits or retries lives here. */
export type Send = (req: HttpRequest) => Promise<HttpResponse>;

/** Codes with which undici reports that the connection was never made: the request did not leave. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function createTransport(
  baseUrl: string,
  options: { timeoutMs: number; connections: number },
): { send: Send; close: () => Promise<void> } {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const agent = new Agent({
    connections: options.connections,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: Math.min(options.timeoutMs, 10_000),
    keepAliveTimeout: 4_000,
  });
  const send: Send = async (req) => {
    const url = new URL(req.path, base);
    // A link in an answer (`_links.next`) may name any URL: the token goes to the API's own origin only.
    if (url.origin !== base.origin) {
      throw new FatalError(
        'FOREIGN_ORIGIN',
        `Refusing to send the access token to ${url.origin}: Help Scout's answer linked outside ${base.origin}.`,
      );
    }
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    try {
      const res = await request(url, {
        method: req.method,
        headers: req.headers ?? {},
        body: req.body ?? null,
        dispatcher: agent,
      });
      const body = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body };
    } catch (error) {
      const code = errorCode(error);
      const where = `${url.pathname}`;
      const why = inWords(code, options.timeoutMs) ?? code ?? (error as Error).message;
      if (code && NOT_SENT_CODES.has(code)) throw new NotSentError(req.method, where, why, { cause: error });
      throw new InDoubtError(req.method, where, why, { cause: error });
    }
  };
  return { send, close: () => agent.close() };
}

/** What undici's codes mean, for a person reading the log. */
function inWords(code: string | undefined, timeoutMs: number): string | undefined {
  const seconds = Math.round(timeoutMs / 1000);
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `Help Scout did not answer within ${seconds} s`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'could not connect to Help Scout in time';
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return "the API's host name could not be resolved";
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before the answer came';
    default:
      return undefined;
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
