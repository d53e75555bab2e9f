import type { StoredCustomer, StoredThread } from '../types.js';
import { html, type SafeHtml } from './html.js';
import type { PartLink } from './parts.js';
import type { ReadOnlyStore } from './source.js';

/** API dates as a reader wants them: `2024-03-04 11:37:47 UTC`. */
export function when(apiDate: string | undefined): SafeHtml {
  if (!apiDate) return html``;
  return html`<time datetime="${apiDate}">${apiDate.replace('T', ' ').replace(/Z$/, ' UTC')}</time>`;
}

export function customerName(c: Readonly<StoredCustomer> | undefined, id: number): string {
  if (!c) return `customer ${id}`;
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || `customer ${id}`;
}

/** Name, with the email beside it when both are known. */
export function customerCell(store: ReadOnlyStore, id: number): SafeHtml {
  const c = store.customers.get(id);
  const name = customerName(c, id);
  return c?.email && c.email !== name ? html`${name} <span class="muted">${c.email}</span>` : html`${name}`;
}

export function authorOf(store: ReadOnlyStore, t: Readonly<StoredThread>): string {
  if (t.createdBy.type === 'customer')
    return customerName(store.customers.get(t.createdBy.id), t.createdBy.id);
  const u = store.users.get(t.createdBy.id);
  return u ? `${u.firstName} ${u.lastName}`.trim() : `user ${t.createdBy.id}`;
}

/** As Help Scout names thread types in its UI; `message` is what the API stores for a reply. */
export const THREAD_KIND: Record<StoredThread['type'], string> = {
  chat: 'Chat',
  customer: 'Customer',
  message: 'Reply',
  note: 'Note',
  phone: 'Phone',
};

export function statusBadge(status: string): SafeHtml {
  return html`<span class="status status-${status}">${status}</span>`;
}

export function tagList(tags: readonly string[]): SafeHtml {
  return html`${tags.map((t) => html`<span class="tag">${t}</span>`)}`;
}

/** `1/3 2/3 3/3`, each a link but the one shown. */
export function partsNav(chain: readonly PartLink[] | undefined, current: number): SafeHtml {
  if (!chain) return html``;
  return html`<span class="parts">${chain.map((p) =>
    p.id === current
      ? html`<b title="this part">${p.part}/${p.parts}</b>`
      : html`<a href="/conversations/${p.id}" title="part ${p.part} of ${p.parts}">${p.part}/${p.parts}</a>`,
  )}</span>`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
