import { ApiError } from '../api-error.js';
import type { Reply } from '../http-io.js';
import { DEFAULT_TAG_COLOR, OWNER_USER_ID } from '../seed.js';
import type { StoredConversation, StoredTag, StoredThread } from '../types.js';
import { readCreateConversation, readTags } from '../validation/conversation.js';
import { CustomerResolver } from '../validation/customer.js';
import { isObject, Problems } from '../validation/problems.js';
import type { ThreadDraft } from '../validation/thread.js';
import { type Handler, type HandlerContext, idParam, writableConversation } from './context.js';

/**
 * Builds a stored thread: `createdAt` is honoured only for imported threads, else it is the clock's now. A
 * thread added while the conversation is assigned records the assignee (`assignedTo` on read).
 */
export function buildThread(
  ctx: HandlerContext,
  draft: ThreadDraft,
  imported: boolean,
  conversationCustomerId: number,
  assigneeId: number | null = null,
): StoredThread {
  const customerId = draft.customerId ?? conversationCustomerId;
  const byUser = draft.type === 'message' || draft.type === 'note';
  return {
    id: ctx.store.allocate('thread'),
    type: draft.type,
    body: draft.text,
    createdAt: imported && draft.createdAt ? draft.createdAt : ctx.now(),
    imported,
    customerId,
    createdBy: byUser
      ? { type: 'user', id: draft.userId ?? OWNER_USER_ID }
      : { type: 'customer', id: customerId },
    attachments: draft.attachments,
    ...(assigneeId !== null ? { assignedToId: assigneeId } : {}),
  };
}

/** Tags not yet known get an id; known ones are reused by name. */
export function newTagsFor(ctx: HandlerContext, names: string[]): StoredTag[] {
  return names
    .filter((n) => !ctx.store.tag(n))
    .map((name) => ({ id: ctx.store.allocate('tag'), name, color: DEFAULT_TAG_COLOR }));
}

/** `POST /v2/conversations`: 201, empty body, `Resource-ID` and `Location`. */
export const createConversation: Handler = (ctx, req) => {
  const now = ctx.now();
  const customers = new CustomerResolver(ctx.store, now);
  const d = readCreateConversation(req.body, { store: ctx.store, customers });
  const threads = d.threads.map((t) => buildThread(ctx, t, d.imported, d.customerId, d.assignTo ?? null));
  const oldestThread = threads.map((t) => t.createdAt).sort()[0];
  // An imported conversation without its own createdAt starts at its oldest thread.
  const createdAt = d.imported ? (d.createdAt ?? oldestThread ?? now) : now;
  const first = threads[0];
  const createdBy: StoredConversation['createdBy'] =
    d.userId !== undefined
      ? { type: 'user', id: d.userId }
      : (first?.createdBy ?? { type: 'customer', id: 0 });
  const conversation: StoredConversation = {
    id: ctx.store.allocate('conversation'),
    number: ctx.store.allocateNumber(),
    subject: d.subject,
    type: d.type,
    mailboxId: d.mailboxId,
    status: d.status,
    customerId: d.customerId,
    createdBy,
    imported: d.imported,
    createdAt,
    modifiedAt: now,
    assigneeId: d.assignTo ?? null,
    tags: d.tags,
    threads,
    insertedAtMs: ctx.nowMs(),
  };
  if (d.status === 'closed') conversation.closedAt = d.imported && d.closedAt ? d.closedAt : now;
  ctx.commit({
    op: 'createConversation',
    newCustomers: customers.newCustomers,
    newTags: newTagsFor(ctx, d.tags),
    conversation,
  });
  return {
    status: 201,
    headers: {
      'Resource-ID': String(conversation.id),
      Location: `${ctx.origin}/v2/conversations/${conversation.id}`,
    },
  };
};

/** `PUT /v2/conversations/{id}/tags`: replaces the tag set; 204. */
export const setTags: Handler = (ctx, req) => {
  const p = new Problems();
  const body = req.body;
  if (!isObject(body) || !Array.isArray(body.tags)) p.add('tags', 'may not be null', null);
  const tags = isObject(body) ? readTags(p, 'tags', body.tags) : [];
  if (p.any) throw ApiError.badRequest(p.list);
  const conv = writableConversation(ctx, idParam(req, 'id'));
  ctx.commit({
    op: 'setTags',
    conversationId: conv.id,
    tags,
    newTags: newTagsFor(ctx, tags),
    modifiedAt: ctx.now(),
  });
  return { status: 204 } satisfies Reply;
};

/** `DELETE /v2/conversations/{id}`: 204. */
export const deleteConversation: Handler = (ctx, req) => {
  const conv = writableConversation(ctx, idParam(req, 'id'));
  ctx.commit({ op: 'deleteConversation', conversationId: conv.id });
  return { status: 204 };
};
