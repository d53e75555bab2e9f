import type { IncomingMessage, ServerResponse } from 'node:http';
import { attachmentDownload } from './attachment.js';
import { html } from './html.js';
import { layout, PAGE_HEADERS } from './layout.js';
import { conversationPage } from './page-conversation.js';
import { mailboxesPage, mailboxPage, notFound, type Page } from './page-mailboxes.js';
import { requestsPage } from './page-requests.js';
import type { WebSource } from './source.js';

const ID = '(\\d{1,15})';
const MAILBOX = new RegExp(`^/mailboxes/${ID}$`);
const CONVERSATION = new RegExp(`^/conversations/${ID}$`);
const ATTACHMENT = new RegExp(`^/conversations/${ID}/attachments/${ID}$`);

/**
 * The read-only web view of the emulated account (everything outside /v2/ and /_emulator/): mailboxes,
 * their conversations, a conversation's threads, attachments, and the requests the API answered.
 */
export function handleWeb(req: IncomingMessage, res: ServerResponse, url: URL, source: WebSource): void {
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  if (method !== 'GET' && !head) {
    const body = layout(
      'Read-only',
      html`<h1>Read-only</h1><p>This view only reads; the API is at /v2/.</p>`,
    );
    send(res, 405, { ...PAGE_HEADERS, Allow: 'GET, HEAD' }, Buffer.from(body), false);
    return;
  }
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const attachment = ATTACHMENT.exec(path);
  if (attachment) {
    const download = attachmentDownload(source.store, Number(attachment[1]), Number(attachment[2]));
    if (download) {
      send(res, 200, download.headers, download.bytes, head);
      return;
    }
  }
  const page = attachment ? notFound('No such attachment.') : route(path, url, source);
  send(res, page.status, PAGE_HEADERS, Buffer.from(layout(page.title, page.content)), head);
}

function route(path: string, url: URL, source: WebSource): Page {
  if (path === '/') return mailboxesPage(source.store);
  if (path === '/requests') return requestsPage(source);
  const mailbox = MAILBOX.exec(path);
  if (mailbox) return mailboxPage(source.store, Number(mailbox[1]), url.searchParams.get('page'));
  const conversation = CONVERSATION.exec(path);
  if (conversation) return conversationPage(source.store, Number(conversation[1]));
  return notFound(`Nothing at ${path}.`);
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  head: boolean,
): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}
