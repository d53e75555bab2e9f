import type { StoredConversation } from '../types.js';
import { customerCell, partsNav, statusBadge, tagList, when } from './format.js';
import { html, type SafeHtml } from './html.js';
import { linkParts } from './parts.js';
import type { ReadOnlyStore } from './source.js';

export interface Page {
  status: number;
  title: string;
  content: SafeHtml;
}

const PAGE_SIZE = 100;

/** Conversations still shown in Help Scout (a merged one only redirects), oldest first as they were had. */
function conversationsOf(store: ReadOnlyStore, mailboxId: number): Readonly<StoredConversation>[] {
  return [...store.conversations.values()]
    .filter((c) => c.mailboxId === mailboxId && c.mergedInto === undefined)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
}

export function mailboxesPage(store: ReadOnlyStore): Page {
  const rows = [...store.mailboxes.values()].map((m) => {
    const count = conversationsOf(store, m.id).length;
    return html`<tr><td class="num">${m.id}</td><td><a href="/mailboxes/${m.id}">${m.name}</a></td><td>${m.email}</td><td class="num">${count}</td></tr>`;
  });
  return {
    status: 200,
    title: 'Mailboxes',
    content: html`<h1>Mailboxes</h1>
<table><thead><tr><th>Id</th><th>Name</th><th>Email</th><th>Conversations</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  };
}

export function mailboxPage(store: ReadOnlyStore, mailboxId: number, pageParam: string | null): Page {
  const mailbox = store.mailboxes.get(mailboxId);
  if (!mailbox) return notFound(`No mailbox ${mailboxId}.`);
  const all = conversationsOf(store, mailboxId);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number.parseInt(pageParam ?? '1', 10) || 1));
  const shown = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const parts = linkParts(all);
  const rows = shown.map(
    (c) => html`<tr>
<td class="num">${c.number}</td>
<td class="subject"><a href="/conversations/${c.id}">${c.subject || '(no subject)'}</a></td>
<td>${customerCell(store, c.customerId)}</td>
<td>${statusBadge(c.status)}</td>
<td>${tagList(c.tags)}</td>
<td class="when">${when(c.createdAt)}</td>
<td class="num">${c.threads.length}</td>
<td>${partsNav(parts.get(c.id), c.id)}</td>
</tr>`,
  );
  const pager =
    pages > 1
      ? html`<div class="pager">${page > 1 ? html`<a href="?page=${page - 1}">← previous page</a>` : ''}<span>page ${page} of ${pages}</span>${page < pages ? html`<a href="?page=${page + 1}">next page →</a>` : ''}</div>`
      : html``;
  return {
    status: 200,
    title: mailbox.name,
    content: html`<nav class="crumbs"><a href="/">Mailboxes</a> ›</nav>
<h1>${mailbox.name}</h1>
<p class="muted">${all.length} conversations, oldest first. Parts of one source conversation are linked as 1/3, 2/3…</p>
${pager}
<table><thead><tr><th>#</th><th>Subject</th><th>Customer</th><th>Status</th><th>Tags</th><th>Created</th><th>Threads</th><th>Parts</th></tr></thead>
<tbody>${rows}</tbody></table>
${pager}`,
  };
}

export function notFound(message: string): Page {
  return {
    status: 404,
    title: 'Not found',
    content: html`<h1>Not found</h1><p>${message}</p><p><a href="/">Back to the mailboxes</a></p>`,
  };
}
