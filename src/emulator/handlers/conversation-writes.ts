import { ApiError } from '../api-error.js';
import { rewriteBody } from '../body-rewrite.js';
import type { Reply } from '../http-io.js';
import { DEFAULT_TAG_COLOR, OWNER_USER_ID } from '../seed.js';
import type { StoredConversation, StoredTag, StoredThread } from '../types.js';
import { readCreateConversation, readTags } from '../validation/conversation.js';
import { CustomerResolver } from '../validation/customer.js';
import { isObject, Problems } from '../validation/problems.js';
import type { ThreadDraft } from '../validation/thread.js';
import { type Handler, type HandlerContext, idParam, writableConversation } from './context.js';

export interface ThreadFacts {
  imported: boolean;
  /** Whether the sent `createdAt` is kept (else the clock's now). */
  keepCreatedAt: boolean;
  conversationCustomerId: number;
  assigneeId: number | null;
}

/**
 * Builds a stored thread: `createdAt` is kept only when `keepCreatedAt`, else it is the clock's now. A thread
 * added while the conversation is assigned records the assignee (`assignedTo` on read).
 */
export function buildThread(ctx: HandlerContext, draft: ThreadDraft, facts: ThreadFacts): StoredThread {
  const customerId = draft.customerId ?? facts.conversationCustomerId;
  const byUser = draft.type === 'message' || draft.type === 'note';
  return {
    id: ctx.store.allocate('thread'),
    type: draft.type,
    body: ctx.opts.rewriteBodies ? rewriteBody(draft.text) : draft.text,
    createdAt: facts.keepCreatedAt && draft.createdAt ? draft.createdAt : ctx.now(),
    imported: facts.imported,
    customerId,
    createdBy: byUser
      ? { type: 'user', id: draft.userId ?? OWNER_USER_ID }
      : { type: 'customer', id: customerId },
    attachments: draft.attachments,
    ...(facts.assigneeId !== null ? { assignedToId: facts.assigneeId } : {}),
  };
}

/** Notes, once committed, every thread whose `createdAt` or body was not kept as sent. */
export function auditThreads(
  ctx: HandlerContext,
  conversationId: number,
  pairs: { draft: ThreadDraft; thread: StoredThread }[],
): void {
  for (const { draft, thread } of pairs) {
    const threadId = thread.id;
    if (draft.createdAt && draft.createdAt !== thread.createdAt) {
      ctx.audit.note('createdAtIgnored', {
        conversationId,
        threadId,
        sent: draft.createdAt,
        stored: thread.createdAt,
      });
    }
    if (draft.text !== thread.body) ctx.audit.note('bodiesRewritten', { conversationId, threadId });
  }
}

/** The inbox default for an omitted `assignTo`: the token's owner, else the first user (not team) seeded. */
function inboxDefaultAssignee(ctx: HandlerContext): number | null {
  if (ctx.store.users.get(OWNER_USER_ID)?.type === 'user') return OWNER_USER_ID;
  const users = [...ctx.store.users.values()].filter((u) => u.type === 'user').map((u) => u.id);
  return users.length > 0 ? Math.min(...users) : null;
}

/** Tags not yet known get an id; known ones are reused by name. */
export function newTagsFor(ctx: HandlerContext, names: string[]): StoredTag[] {
  return names
    .filter((n) => !ctx.store.tag(n))
    .map((name) => ({ id: ctx.store.allocate('tag'), name, color: DEFAULT_TAG_COLOR }));
}

/** The newest of some API dates (they sort as text). */
const newest = (dates: (string | undefined)[]): string | undefined =>
  dates
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);

/** `POST /v2/conversations`: 201, empty body, `Resource-ID` and `Location`. */
export const createConversation: Handler = (ctx, req) => {
  const now = ctx.now();
  const o = ctx.opts;
  const customers = new CustomerResolver(ctx.store, now, o.otherPrimaryEmail);
  const d = readCreateConversation(req.body, { store: ctx.store, customers });
  const assigneeId =
    d.assignTo === undefined ? (o.autoAssign ? inboxDefaultAssignee(ctx) : null) : d.assignTo;
  const dropped: { index: number; fileName: string }[] = [];
  const threads = d.threads.map((draft, index) => {
    const thread = buildThread(ctx, draft, {
      imported: d.imported,
      keepCreatedAt: o.inlineCreatedAtNeedsThreadImported ? draft.imported === true : d.imported,
      conversationCustomerId: d.customerId,
      assigneeId,
    });
    if (o.dropInlineAttachments && thread.attachments.length > 0) {
      dropped.push(...thread.attachments.map((a) => ({ index, fileName: a.fileName })));
      thread.attachments = [];
    }
    return thread;
  });
  const oldestThread = threads.map((t) => t.createdAt).sort()[0];
  // An imported conversation without its own createdAt starts at its oldest thread.
  const createdAt = d.imported ? (d.createdAt ?? oldestThread ?? now) : now;
  const closedAt = d.status === 'closed' ? (d.imported && d.closedAt ? d.closedAt : now) : undefined;
  const first = threads[0];
  const createdBy: StoredConversation['createdBy'] =
    d.userId !== undefined
      ? { type: 'user', id: d.userId }
      : (first?.createdBy ?? { type: 'customer', id: 0 });
  const historic = d.imported && o.historicModifiedAt;
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
    modifiedAt: historic ? (newest([createdAt, closedAt, ...threads.map((t) => t.createdAt)]) ?? now) : now,
    assigneeId,
    tags: d.tags,
    threads,
    insertedAtMs: ctx.nowMs(),
  };
  if (closedAt !== undefined) conversation.closedAt = closedAt;
  ctx.commit({
    op: 'createConversation',
    newCustomers: customers.newCustomers,
    newTags: newTagsFor(ctx, d.tags),
    conversation,
  });
  const id = conversation.id;
  customers.auditNew(ctx.audit);
  auditThreads(
    ctx,
    id,
    d.threads.map((draft, i) => ({ draft, thread: threads[i] as StoredThread })),
  );
  if (d.assignTo === undefined && assigneeId !== null) {
    ctx.audit.note('autoAssigned', { conversationId: id, userId: assigneeId });
  }
  for (const { index, fileName } of dropped) {
    ctx.audit.note('attachmentsDropped', {
      conversationId: id,
      threadId: (threads[index] as StoredThread).id,
      fileName,
    });
  }
  return {
    status: 201,
    headers: {
      'Resource-ID': String(id),
      Location: `${ctx.origin}/v2/conversations/${id}`,
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
  ctx.commit({
    op: 'deleteConversation',
    conversationId: conv.id,
    ...(ctx.opts.listDeleted ? { keepAsDeleted: true } : {}),
  });
  return { status: 204 };
};
