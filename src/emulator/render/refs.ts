import type { Store } from '../store.js';
import type { SeedUser, StoredCustomer } from '../types.js';

/** Where links point: the emulator's own origin, so clients can follow them. */
export interface RenderContext {
  origin: string;
  store: Store;
}

export const href = (ctx: RenderContext, path: string) => ({ href: `${ctx.origin}/v2/${path}` });

/**
 * Every customer has a picture on read (customer-list.yml: 50 of 50 carry `photoUrl`); one created without
 * gets Help Scout's default avatar.
 */
export const customerPhotoUrl = (ctx: RenderContext, c: StoredCustomer | undefined): string =>
  c?.photoUrl ?? `${ctx.origin}/static/avatar-default.png`;

/**
 * A customer as a conversation shows it (`primaryCustomer`, `createdBy`): with `type`. A thread's `customer`
 * is the same without `type` (thread-get.yml), hence `withType`.
 */
export function customerRef(ctx: RenderContext, id: number, withType = true): Record<string, unknown> {
  const c = ctx.store.customers.get(id);
  return {
    id,
    ...(withType ? { type: 'customer' } : {}),
    first: c?.firstName ?? '',
    last: c?.lastName ?? '',
    photoUrl: customerPhotoUrl(ctx, c),
    email: c?.email ?? '',
  };
}

/**
 * A user as a conversation or thread shows it: `photoUrl` only for users who have one (user 191154 has none in
 * user-list.yml and none as `createdBy`; 191169 has one, also as `assignee`). A thread's `assignedTo` has no
 * `type` (thread-get.yml).
 */
export function userRef(ctx: RenderContext, id: number, withType = true): Record<string, unknown> {
  const u: SeedUser | undefined = ctx.store.users.get(id);
  return {
    id,
    ...(withType ? { type: 'user' } : {}),
    first: u?.firstName ?? '',
    last: u?.lastName ?? '',
    ...(u?.photoUrl !== undefined ? { photoUrl: u.photoUrl } : {}),
    email: u?.email ?? '',
  };
}

export function authorRef(
  ctx: RenderContext,
  by: { type: 'customer' | 'user'; id: number },
): Record<string, unknown> {
  return by.type === 'customer' ? customerRef(ctx, by.id) : userRef(ctx, by.id);
}

/** `createdByCustomer` or `createdByUser`, as `_links` name the creator. */
export function creatorLink(
  ctx: RenderContext,
  by: { type: 'customer' | 'user'; id: number },
): Record<string, { href: string }> {
  return by.type === 'customer'
    ? { createdByCustomer: href(ctx, `customers/${by.id}`) }
    : { createdByUser: href(ctx, `users/${by.id}`) };
}
