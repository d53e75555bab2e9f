import type { StoredThread } from '../types.js';
import {
  authorOf,
  bytes,
  customerCell,
  partsNav,
  statusBadge,
  THREAD_KIND,
  tagList,
  when,
} from './format.js';
import { html } from './html.js';
import { notFound, type Page } from './page-mailboxes.js';
import { linkParts } from './parts.js';
import { sanitizeBody } from './sanitize.js';
import type { ReadOnlyStore } from './source.js';

/** Oldest first, as an agent reads a conversation; equal times keep the order they were added in. */
export function readingOrder(threads: readonly Readonly<StoredThread>[]): Readonly<StoredThread>[] {
  return threads
    .map((t, index) => ({ t, index }))
    .sort((a, b) =>
      a.t.createdAt < b.t.createdAt ? -1 : a.t.createdAt > b.t.createdAt ? 1 : a.index - b.index,
    )
    .map(({ t }) => t);
}

export function conversationPage(store: ReadOnlyStore, id: number): Page {
  const c = store.conversations.get(id);
  if (!c) return notFound(`No conversation ${id} (never created, or deleted).`);
  const mailbox = store.mailboxes.get(c.mailboxId);
  const mailboxName = mailbox?.name ?? `mailbox ${c.mailboxId}`;
  const siblings = [...store.conversations.values()].filter(
    (o) => o.mailboxId === c.mailboxId && o.mergedInto === undefined,
  );
  const chain = linkParts(siblings).get(c.id);
  const merged =
    c.mergedInto === undefined
      ? html``
      : html`<p class="bad">Merged into <a href="/conversations/${c.mergedInto}">conversation ${c.mergedInto}</a>: its threads are there.</p>`;
  const threads = readingOrder(c.threads).map((t) => {
    const files = t.attachments.map(
      (a) =>
        html`<li><a href="/conversations/${c.id}/attachments/${a.id}" download="${a.fileName}">${a.fileName}</a> <span class="muted">${a.mimeType}, ${bytes(a.size)}</span></li>`,
    );
    return html`<li><article class="thread type-${t.type} by-${t.createdBy.type}" id="thread-${t.id}">
<div class="head"><span class="kind">${THREAD_KIND[t.type] ?? t.type}</span><span class="author">${authorOf(store, t)}</span>${when(t.createdAt)}</div>
<div class="body">${sanitizeBody(t.body)}</div>
${files.length > 0 ? html`<ul class="files">${files}</ul>` : ''}
</article></li>`;
  });
  return {
    status: 200,
    title: c.subject || `Conversation ${c.number}`,
    content: html`<nav class="crumbs"><a href="/">Mailboxes</a> › <a href="/mailboxes/${c.mailboxId}">${mailboxName}</a> ›</nav>
<h1>${c.subject || '(no subject)'}</h1>
${merged}
<dl class="facts">
<dt>Customer</dt><dd>${customerCell(store, c.customerId)}</dd>
<dt>Status</dt><dd>${statusBadge(c.status)}</dd>
<dt>Tags</dt><dd>${c.tags.length > 0 ? tagList(c.tags) : html`<span class="muted">none</span>`}</dd>
<dt>Created</dt><dd>${when(c.createdAt)}</dd>
${c.closedAt ? html`<dt>Closed</dt><dd>${when(c.closedAt)}</dd>` : ''}
<dt>Number · id</dt><dd>#${c.number} · ${c.id}${c.imported ? ' · imported' : ''}</dd>
${chain ? html`<dt>Parts</dt><dd>${partsNav(chain, c.id)}</dd>` : ''}
</dl>
<h2>${c.threads.length} threads, oldest first</h2>
<ol class="threads">${threads}</ol>`,
  };
}
