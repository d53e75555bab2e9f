import { SEED_CREATED_AT } from '../seed.js';
import { emailsOf } from '../store.js';
import type { SeedMailbox, SeedUser, StoredCustomer } from '../types.js';
import { customerPhotoUrl, href, type RenderContext } from './refs.js';

/** Writes take `male`/`unknown`…; reads answer `Male`/`Unknown` (customer-list.yml). */
const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

/**
 * A customer (customer-get.yml, customer-list.yml): no top-level email, addresses under `_embedded.emails`;
 * `jobTitle`, `location`, `organization` and `age` appear only when the customer has them.
 */
export function renderCustomer(ctx: RenderContext, c: StoredCustomer): Record<string, unknown> {
  const self = `customers/${c.id}`;
  const optional = (key: 'jobTitle' | 'location' | 'organization') =>
    c[key] !== undefined && c[key] !== '' ? { [key]: c[key] } : {};
  return {
    id: c.id,
    firstName: c.firstName ?? '',
    lastName: c.lastName ?? '',
    gender: capitalised(c.gender ?? 'unknown'),
    ...optional('jobTitle'),
    ...optional('location'),
    ...optional('organization'),
    // `default` is what customers without a picture read back as (41 of 50 in customer-list.yml).
    photoType: c.photoType ?? 'default',
    photoUrl: customerPhotoUrl(ctx, c),
    ...(c.age !== undefined && c.age !== '' ? { age: c.age } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt ?? c.createdAt,
    background: c.background ?? '',
    _embedded: {
      // The primary first, with the customer's id; email ids are not modelled.
      emails: emailsOf(c).map((value, i) => ({ id: i === 0 ? c.id : c.id * 100 + i, value, type: 'work' })),
      websites: (c.websites ?? []).map((w, i) => ({ id: w.id ?? c.id * 100 + i, value: w.value })),
      chats: [],
      phones: c.phone ? [{ id: c.id, value: c.phone, type: 'work' }] : [],
      social_profiles: (c.socialProfiles ?? []).map((s, i) => ({
        id: s.id ?? c.id * 100 + 50 + i,
        value: s.value,
        type: s.type,
      })),
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

/** A user or a team (user-get.yml, user-list.yml): `photoUrl` only for users who have one. */
export function renderUser(ctx: RenderContext, u: SeedUser): Record<string, unknown> {
  return {
    id: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    role: u.role ?? 'user',
    timezone: u.timezone ?? 'UTC',
    ...(u.photoUrl !== undefined ? { photoUrl: u.photoUrl } : {}),
    createdAt: u.createdAt ?? SEED_CREATED_AT,
    updatedAt: u.updatedAt ?? u.createdAt ?? SEED_CREATED_AT,
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
    createdAt: m.createdAt ?? SEED_CREATED_AT,
    updatedAt: m.updatedAt ?? m.createdAt ?? SEED_CREATED_AT,
    _links: {
      fields: href(ctx, `mailboxes/${m.id}/fields/`),
      folders: href(ctx, `mailboxes/${m.id}/folders/`),
      self: href(ctx, `mailboxes/${m.id}`),
    },
  };
}
