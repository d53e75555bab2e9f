import { API_LIMITS, type ThreadEndpoint } from '../../api/api-types.js';
import { ApiError } from '../api-error.js';
import type { StoredConversation } from '../types.js';
import { readAttachment } from '../validation/attachments.js';
import { CustomerResolver } from '../validation/customer.js';
import { Problems } from '../validation/problems.js';
import { readEndpointThread } from '../validation/thread.js';
import { type Handler, type HandlerContext, idParam, writableConversation } from './context.js';
import { buildThread } from './conversation-writes.js';

/** Thread cap and the optional "too old" lock: both 412. */
function assertAppendable(ctx: HandlerContext, conv: StoredConversation): void {
  if (conv.threads.length >= API_LIMITS.appendCapThreads) {
    throw new ApiError(412, `Conversation ${conv.id} has reached the maximum number of threads`);
  }
  const tooOld = ctx.opts.tooOldBefore;
  if (tooOld !== undefined && conv.createdAt < tooOld) {
    throw new ApiError(412, `Conversation ${conv.id} is too old to be updated`);
  }
}

/** `POST /v2/conversations/{id}/{chats|customer|reply|notes|phones}`: 201, empty, `Resource-ID` (option). */
export function createThread(endpoint: ThreadEndpoint): Handler {
  return (ctx, req) => {
    const now = ctx.now();
    const p = new Problems();
    const customers = new CustomerResolver(ctx.store, now);
    const parsed = readEndpointThread(p, endpoint, req.body, { store: ctx.store, customers });
    if (p.any || !parsed) throw ApiError.badRequest(p.list);
    const conv = writableConversation(ctx, idParam(req, 'id'));
    assertAppendable(ctx, conv);
    const thread = buildThread(ctx, parsed.draft, parsed.imported, conv.customerId, conv.assigneeId);
    // Imported threads never change the status; otherwise customer lines re-open and replies re-activate.
    let status = parsed.status;
    if (!status && !parsed.imported && thread.type !== 'note') status = 'active';
    ctx.commit({
      op: 'addThread',
      conversationId: conv.id,
      newCustomers: customers.newCustomers,
      thread,
      modifiedAt: now,
      ...(status ? { status } : {}),
      ...(status === 'closed' && conv.status !== 'closed' ? { closedAt: now } : {}),
    });
    const headers: Record<string, string> = ctx.opts.threadIdHeader
      ? { 'Resource-ID': String(thread.id) }
      : {};
    return { status: 201, headers };
  };
}

/** `POST /v2/conversations/{id}/threads/{threadId}/attachments`: 201, empty, no id header (2019 recording). */
export const createAttachment: Handler = (ctx, req) => {
  const p = new Problems();
  const attachment = readAttachment(p, '', req.body, ctx.store);
  if (p.any || !attachment) {
    throw ApiError.badRequest(p.list.map((e) => ({ ...e, path: e.path.replace(/^\./, '') })));
  }
  const conv = writableConversation(ctx, idParam(req, 'id'));
  const threadId = idParam(req, 'threadId');
  if (!conv.threads.some((t) => t.id === threadId)) throw ApiError.notFound(`Thread ${threadId}`);
  ctx.commit({ op: 'addAttachment', conversationId: conv.id, threadId, attachment, modifiedAt: ctx.now() });
  return { status: 201 };
};
