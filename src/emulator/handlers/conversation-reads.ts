import { ApiError } from '../api-error.js';
import { matches, readConversationFilter, sortKey } from '../conversation-filter.js';
import { halList, paginate } from '../render/hal.js';
import { renderConversation, renderThread } from '../render/resources.js';
import type { StoredConversation } from '../types.js';
import { type Handler, type HandlerContext, idParam, pageParam } from './context.js';

/** Follows merges to the surviving conversation. */
function survivor(ctx: HandlerContext, conv: StoredConversation): StoredConversation {
  let current = conv;
  for (let hops = 0; current.mergedInto !== undefined && hops < 100; hops++) {
    const next = ctx.store.conversations.get(current.mergedInto);
    if (!next) break;
    current = next;
  }
  return current;
}

/** A readable conversation (a kept deleted one too), or the 301 to where a merged one went. */
function readable(ctx: HandlerContext, id: number, suffix: string): StoredConversation {
  const conv = ctx.store.conversations.get(id);
  if (!conv) throw ApiError.notFound(`Conversation ${id}`);
  if (conv.mergedInto !== undefined) {
    const target = survivor(ctx, conv);
    throw new ApiError(301, 'Moved Permanently', [], {
      Location: `${ctx.origin}/v2/conversations/${target.id}${suffix}`,
    });
  }
  return conv;
}

/** `GET /v2/conversations/{id}`: `threads` is a count; a merged id answers 301 with `Location`. */
export const getConversation: Handler = (ctx, req) => ({
  status: 200,
  body: renderConversation(ctx, readable(ctx, idParam(req, 'id'), '')),
});

/** `GET /v2/conversations/{id}/threads`: newest first, paginated. */
export const listThreads: Handler = (ctx, req) => {
  const conv = readable(ctx, idParam(req, 'id'), '/threads');
  const page = pageParam(req.query);
  const sorted = [...conv.threads].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  const list = paginate(sorted, page, ctx.opts.threadPageSize, {
    base: `${ctx.origin}/v2/conversations/${conv.id}/threads/`,
    query: req.query,
    templated: ctx.opts.pageLinkTemplated,
  });
  return {
    status: 200,
    body: halList('threads', list, (t) => renderThread(ctx, conv.id, t), ctx.opts.emptyPageEmbedded),
  };
};

/**
 * `GET /v2/conversations`: filters, sort, paging; a conversation is searchable only after the search lag.
 * Deleted conversations kept by `listDeleted` are listed (`state: deleted`).
 */
export const listConversations: Handler = (ctx, req) => {
  const filter = readConversationFilter(req.query);
  const page = pageParam(req.query);
  const visibleBefore = ctx.nowMs() - ctx.opts.searchLagMs;
  const found = [...ctx.store.conversations.values()].filter(
    (c) => c.insertedAtMs <= visibleBefore && matches(ctx.store, c, filter),
  );
  const dir = filter.sortOrder === 'asc' ? 1 : -1;
  found.sort((a, b) => {
    const ka = sortKey(ctx.store, a, filter.sortField);
    const kb = sortKey(ctx.store, b, filter.sortField);
    const cmp = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
    return cmp * dir;
  });
  const list = paginate(found, page, ctx.opts.listPageSize, {
    base: `${ctx.origin}/v2/conversations`,
    query: req.query,
    templated: ctx.opts.pageLinkTemplated,
  });
  return {
    status: 200,
    body: halList('conversations', list, (c) => renderConversation(ctx, c), ctx.opts.emptyPageEmbedded),
  };
};
