import { SEED_CREATED_AT } from '../seed.js';
import type { Store } from '../store.js';
import type {
  SeedMailbox,
  SeedUser,
  StoredConversation,
  StoredCustomer,
  StoredTag,
  StoredThread,
} from '../types.js';

/** Where links point: the emulator's own origin, so clients can follow them. */
export interface RenderContext {
  origin: string;
  store: Store;
}

const href = (ctx: RenderContext, path: string) => ({ href: `${ctx.origin}/v2/${path}` });

export function customerRef(c: StoredCustomer | undefined, id: number): Record<string, unknown> {
  return { id, type: 'customer', first: c?.firstName ?? '', last: c?.lastName ?? '', email: c?.email ?? '' };
}

export function userRef(u: SeedUser | undefined, id: number): Record<string, unknown> {
  return { id, type: 'user', first: u?.firstName ?? '', last: u?.lastName ?? '', email: u?.email ?? '' };
}

function authorRef(
  ctx: RenderContext,
  by: { type: 'customer' | 'user'; id: number },
): Record<string, unknown> {
  return by.type === 'customer'
    ? customerRef(ctx.store.customers.get(by.id), by.id)
    : userRef(ctx.store.users.get(by.id), by.id);
}

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
  const closedBy = c.status === 'closed' ? 1 : 0;
  const body: Record<string, unknown> = {
    id: c.id,
    number: c.number,
    threads: c.threads.length,
    type: c.type,
    folderId: 1,
    status: c.status,
    state: 'published',
    subject: c.subject,
    preview: preview(c),
    mailboxId: c.mailboxId,
  };
  // Unassigned conversations omit `assignee` (conversation-list.yml).
  if (c.assigneeId !== null) body.assignee = userRef(ctx.store.users.get(c.assigneeId), c.assigneeId);
  Object.assign(body, {
    createdBy: authorRef(ctx, c.createdBy),
    createdAt: c.createdAt,
    closedBy,
    ...(c.closedAt && c.status === 'closed' ? { closedAt: c.closedAt } : {}),
    userUpdatedAt: c.modifiedAt,
    customerWaitingSince: { time: c.modifiedAt, friendly: 'Just now' },
    source: { type: 'api', via: c.createdBy.type },
    tags: renderTags(ctx, c.tags),
    cc: [],
    bcc: [],
    primaryCustomer: customerRef(ctx.store.customers.get(c.customerId), c.customerId),
    customFields: [],
    _links: {
      ...(c.assigneeId !== null ? { assignee: href(ctx, `users/${c.assigneeId}`) } : {}),
      closedBy: href(ctx, `users/${closedBy}`),
      [c.createdBy.type === 'customer' ? 'createdByCustomer' : 'createdByUser']: href(
        ctx,
        `${c.createdBy.type === 'customer' ? 'customers' : 'users'}/${c.createdBy.id}`,
      ),
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
  const creator = t.createdBy.type === 'customer' ? 'createdByCustomer' : 'createdByUser';
  return {
    id: t.id,
    type: t.type,
    status: 'active',
    state: 'published',
    action: { type: 'default' },
    body: t.body,
    source: { type: 'api', via: t.createdBy.type },
    customer: customerRef(ctx.store.customers.get(t.customerId), t.customerId),
    createdBy: authorRef(ctx, t.createdBy),
    to: [],
    cc: [],
    bcc: [],
    createdAt: t.createdAt,
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
          web: { href: `${ctx.origin}/file/${a.id}/${encodeURIComponent(a.fileName)}` },
        },
      })),
    },
    _links: {
      [creator]: href(ctx, `${t.createdBy.type === 'customer' ? 'customers' : 'users'}/${t.createdBy.id}`),
      customer: href(ctx, `customers/${t.customerId}`),
    },
  };
}

/** A customer (customer-get.yml): no top-level email; addresses under `_embedded.emails`. */
export function renderCustomer(ctx: RenderContext, c: StoredCustomer): Record<string, unknown> {
  const self = `customers/${c.id}`;
  return {
    id: c.id,
    firstName: c.firstName ?? '',
    lastName: c.lastName ?? '',
    gender: c.gender ?? 'unknown',
    jobTitle: c.jobTitle ?? '',
    location: c.location ?? '',
    organization: c.organization ?? '',
    photoType: c.photoType ?? 'unknown',
    photoUrl: c.photoUrl ?? '',
    age: c.age ?? '',
    createdAt: c.createdAt,
    updatedAt: c.createdAt,
    background: c.background ?? '',
    _embedded: {
      emails: c.email ? [{ id: c.id, value: c.email, type: 'work' }] : [],
      websites: [],
      chats: [],
      phones: c.phone ? [{ id: c.id, value: c.phone, type: 'work' }] : [],
      social_profiles: [],
    },
    _links: {
      address: href(ctx, `${self}/address/`),
      chats: href(ctx, `${self}/chats/`),
      emails: href(ctx, `${self}/emails/`),
      phones: href(ctx, `${self}/phones/`),
      self: href(ctx, self),
      'social-profiles': href(ctx, `${self}/social-profiles/`),
      websites: href(ctx, `${self}/websites/`),
    },
  };
}

/** A user or a team (user-get.yml, user-list.yml). */
export function renderUser(ctx: RenderContext, u: SeedUser): Record<string, unknown> {
  return {
    id: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    role: u.role ?? 'user',
    timezone: 'UTC',
    createdAt: SEED_CREATED_AT,
    updatedAt: SEED_CREATED_AT,
    type: u.type ?? 'user',
    _links: { self: href(ctx, `users/${u.id}`) },
  };
}

/** A mailbox (mailbox-get.yml): folders are a link, not embedded. */
export function renderMailbox(ctx: RenderContext, m: SeedMailbox): Record<string, unknown> {
  return {
    id: m.id,
    name: m.name,
    slug: m.slug,
    email: m.email,
    createdAt: SEED_CREATED_AT,
    updatedAt: SEED_CREATED_AT,
    _links: {
      fields: href(ctx, `mailboxes/${m.id}/fields/`),
      folders: href(ctx, `mailboxes/${m.id}/folders/`),
      self: href(ctx, `mailboxes/${m.id}`),
    },
  };
}
