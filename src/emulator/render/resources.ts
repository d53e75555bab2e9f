import { createHash } from 'node:crypto';
import type { StoredConversation, StoredTag, StoredThread } from '../types.js';
import { authorRef, creatorLink, customerRef, href, type RenderContext, userRef } from './refs.js';

export { renderCustomer, renderMailbox, renderUser } from './directory.js';
export type { RenderContext } from './refs.js';

/** Help Scout's folder for a conversation the emulator did not seed (folders are not modelled). */
const DEFAULT_FOLDER_ID = 1;
/** Who closed a conversation closed by an API write: the token's owner. */
const CLOSED_BY_OWNER = 1;

const digest = (base64: string): string => createHash('sha1').update(base64, 'base64').digest('hex');

/** Tags come back sorted, not in request order (update-tags recording). */
export function renderTags(ctx: RenderContext, names: string[]): Record<string, unknown>[] {
  return [...names]
    .sort()
    .map((n) => ctx.store.tag(n))
    .filter((t): t is StoredTag => t !== undefined)
    .map((t) => ({ id: t.id, color: t.color, tag: t.name }));
}

const preview = (c: StoredConversation): string => {
  const latest = [...c.threads].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)[0];
  return (latest?.body ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
};

/** A conversation as `GET /v2/conversations[/{id}]` shows it (conversation-get.yml, conversation-list.yml). */
export function renderConversation(ctx: RenderContext, c: StoredConversation): Record<string, unknown> {
  const closedBy = c.closedBy ?? (c.status === 'closed' ? CLOSED_BY_OWNER : 0);
  const body: Record<string, unknown> = {
    id: c.id,
    number: c.number,
    threads: c.threads.length,
    type: c.type,
    folderId: c.folderId ?? DEFAULT_FOLDER_ID,
    status: c.status,
    state: c.deleted ? 'deleted' : 'published',
    subject: c.subject,
    preview: preview(c),
    mailboxId: c.mailboxId,
  };
  // Unassigned conversations omit `assignee` (conversation-list.yml).
  if (c.assigneeId !== null) body.assignee = userRef(ctx, c.assigneeId);
  Object.assign(body, {
    createdBy: authorRef(ctx, c.createdBy),
    createdAt: c.createdAt,
    closedBy,
    ...(c.closedAt && c.status === 'closed' ? { closedAt: c.closedAt } : {}),
    userUpdatedAt: c.modifiedAt,
    customerWaitingSince: c.waitingSince ?? { time: c.modifiedAt, friendly: 'Just now' },
    source: c.source ?? { type: 'api', via: c.createdBy.type },
    tags: renderTags(ctx, c.tags),
    cc: [],
    bcc: [],
    primaryCustomer: customerRef(ctx, c.customerId),
    customFields: [],
    _links: {
      ...(c.assigneeId !== null ? { assignee: href(ctx, `users/${c.assigneeId}`) } : {}),
      closedBy: href(ctx, `users/${closedBy}`),
      ...creatorLink(ctx, c.createdBy),
      mailbox: href(ctx, `mailboxes/${c.mailboxId}`),
      primaryCustomer: href(ctx, `customers/${c.customerId}`),
      self: href(ctx, `conversations/${c.id}`),
      threads: href(ctx, `conversations/${c.id}/threads/`),
      web: { href: `${ctx.origin}/conversation/${c.id}/${c.number}` },
    },
  });
  return body;
}

/** A thread as the thread list shows it (thread-get.yml, thread-list.yml): the request's text is `body`. */
export function renderThread(
  ctx: RenderContext,
  conversationId: number,
  t: StoredThread,
): Record<string, unknown> {
  const assigned = t.assignedToId;
  return {
    id: t.id,
    type: t.type,
    status: 'active',
    state: 'published',
    action: { type: t.actionType ?? 'default' },
    body: t.body,
    source: t.source ?? { type: 'api', via: t.createdBy.type },
    customer: customerRef(ctx, t.customerId, false),
    createdBy: authorRef(ctx, t.createdBy),
    ...(assigned !== undefined ? { assignedTo: userRef(ctx, assigned, false) } : {}),
    ...(t.savedReplyId !== undefined ? { savedReplyId: t.savedReplyId } : {}),
    to: [],
    cc: [],
    bcc: [],
    createdAt: t.createdAt,
    ...(t.openedAt !== undefined ? { openedAt: t.openedAt } : {}),
    _embedded: {
      attachments: t.attachments.map((a) => ({
        id: a.id,
        filename: a.fileName,
        mimeType: a.mimeType,
        width: 0,
        height: 0,
        size: a.size,
        _links: {
          data: href(ctx, `conversations/${conversationId}/attachments/${a.id}/data`),
          self: href(ctx, `conversations/${conversationId}/attachments/${a.id}`),
          // The web link carries a digest of the file (thread-list.yml: `/file/{id}/{sha1}/{name}`).
          web: { href: `${ctx.origin}/file/${a.id}/${digest(a.data)}/${encodeURIComponent(a.fileName)}` },
        },
      })),
    },
    _links: {
      ...(assigned !== undefined ? { assignedTo: href(ctx, `users/${assigned}`) } : {}),
      ...creatorLink(ctx, t.createdBy),
      customer: href(ctx, `customers/${t.customerId}`),
    },
  };
}
