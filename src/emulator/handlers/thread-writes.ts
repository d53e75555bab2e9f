import { API_LIMITS, type ConversationStatus, type ThreadEndpoint } from '../../api/api-types.js';
import { ApiError } from '../api-error.js';
import type { StoredConversation, StoredThreadType } from '../types.js';
import { readAttachment } from '../validation/attachments.js';
import { CustomerResolver } from '../validation/customer.js';
import { Problems } from '../validation/problems.js';
import { readEndpointThread } from '../validation/thread.js';
import { type Handler, type HandlerContext, idParam, writableConversation } from './context.js';
import { auditThreads, buildThread } from './conversation-writes.js';

/**
 * The status an append leaves: the request's `status` when sent (replies and notes), else `active` for a
 * reply or note (documented: they reactivate unless `status` is set; option `replyReactivates`), and for any
 * other thread not imported (a customer line re-opens); imported chat, customer and phone threads change
 * nothing.
 */
function statusAfterAppend(
  ctx: HandlerContext,
  type: StoredThreadType,
  imported: boolean,
  sent: ConversationStatus | undefined,
): ConversationStatus | undefined {
  if (sent) return sent;
  const byUser = type === 'message' || type === 'note';
  if (byUser && ctx.opts.replyReactivates) return 'active';
  if (!imported && type !== 'note') return 'active';
  return undefined;
}

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
    const customers = new CustomerResolver(ctx.store, now, ctx.opts.otherPrimaryEmail);
    const parsed = readEndpointThread(p, endpoint, req.body, { store: ctx.store, customers });
    if (p.any || !parsed) throw ApiError.badRequest(p.list);
    const conv = writableConversation(ctx, idParam(req, 'id'));
    assertAppendable(ctx, conv);
    const thread = buildThread(ctx, parsed.draft, {
      imported: parsed.imported,
      keepCreatedAt: parsed.imported,
      conversationCustomerId: conv.customerId,
      assigneeId: conv.assigneeId,
    });
    const status = statusAfterAppend(ctx, thread.type, parsed.imported, parsed.status);
    const historic = ctx.opts.historicModifiedAt && conv.imported && parsed.imported;
    const from = conv.status;
    ctx.commit({
      op: 'addThread',
      conversationId: conv.id,
      newCustomers: customers.newCustomers,
      thread,
      modifiedAt: historic ? ([conv.modifiedAt, thread.createdAt].sort()[1] as string) : now,
      ...(status ? { status } : {}),
      ...(status === 'closed' && conv.status !== 'closed' ? { closedAt: now } : {}),
    });
    customers.auditNew(ctx.audit);
    auditThreads(ctx, conv.id, [{ draft: parsed.draft, thread }]);
    if (status === 'active' && from !== 'active' && parsed.status === undefined) {
      ctx.audit.note('reopenedByAppend', { conversationId: conv.id, threadId: thread.id, from });
    }
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
