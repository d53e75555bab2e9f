import { ApiError } from '../api-error.js';
import type { AuditRecorder } from '../audit.js';
import type { Reply } from '../http-io.js';
import type { Mutation } from '../mutations.js';
import type { ResolvedOptions } from '../options.js';
import type { RenderContext } from '../render/resources.js';
import type { StoredConversation } from '../types.js';

/** What every route handler may use: the store (read), `commit` (the only way to change it), the clock. */
export interface HandlerContext extends RenderContext {
  opts: ResolvedOptions;
  /** Notes what an importer may not expect; only after the write committed. */
  audit: AuditRecorder;
  /** Journals the mutation (synchronously, when persisting) and applies it. */
  commit(m: Mutation): void;
  nowMs(): number;
  /** The clock's time as an API date. */
  now(): string;
}

export interface HandlerRequest {
  method: string;
  pathname: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body of writes; undefined for reads. */
  body: unknown;
}

export type Handler = (ctx: HandlerContext, req: HandlerRequest) => Reply;

export function idParam(req: HandlerRequest, name: string): number {
  return Number(req.params[name]);
}

/** A conversation that writes may target: unknown and merged ids are both 404. */
export function writableConversation(ctx: HandlerContext, id: number): StoredConversation {
  const conv = ctx.store.conversations.get(id);
  if (!conv || conv.mergedInto !== undefined || conv.deleted) throw ApiError.notFound(`Conversation ${id}`);
  return conv;
}

/** `page` query parameter: 1-based. */
export function pageParam(query: URLSearchParams): number {
  const raw = query.get('page');
  if (raw === null || raw === '') return 1;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw ApiError.badRequest([{ path: 'page', message: 'must be a positive integer', rejectedValue: raw }]);
  }
  return Number(raw);
}
