import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';

export const HAL_JSON = 'application/hal+json;charset=UTF-8';
export const VND_ERROR = 'application/vnd.error+json;charset=UTF-8';
/** As recorded: unlike the HAL type, with a space after the `;`. */
export const PLAIN_TEXT = 'text/plain; charset=UTF-8';
export const JSON_UTF8 = 'application/json; charset=utf-8';

/** What a handler answers; the server adds the common headers and writes it. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless a string; absent for empty bodies. */
  body?: unknown;
  contentType?: string;
}

/**
 * Reads the whole body, but stops keeping bytes past `limit` (still draining the socket so that a 413 can be
 * answered on the same connection).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

/** Parses a JSON request body; malformed JSON is Help Scout's 400 "Error parsing request body into JSON". */
export function parseJsonBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'Error parsing request body into JSON');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'Error parsing request body into JSON');
  }
}

export function writeReply(res: ServerResponse, reply: Reply, common: Record<string, string>): void {
  const headers: Record<string, string> = { ...common, ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['Content-Type'] = reply.contentType ?? HAL_JSON;
  } else if (reply.status === 204) {
    // No body and no Content-Length, but still a text/plain type (conversation-update-tags.yml).
    headers['Content-Type'] = reply.contentType ?? PLAIN_TEXT;
  } else {
    // Creates answer an empty text/plain body (recordings: Content-Length 0).
    payload = '';
    if (reply.status !== 301) headers['Content-Type'] = reply.contentType ?? PLAIN_TEXT;
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}
