import type { ThreadEndpoint } from '../api/api-types.js';
import type { Handler } from './handlers/context.js';
import { getConversation, listConversations, listThreads } from './handlers/conversation-reads.js';
import { createConversation, deleteConversation, setTags } from './handlers/conversation-writes.js';
import {
  getCustomer,
  getMailbox,
  getUser,
  listCustomers,
  listMailboxes,
  listUsers,
} from './handlers/directory-reads.js';
import { createAttachment, createThread } from './handlers/thread-writes.js';

export interface Route {
  method: string;
  /** e.g. `/v2/conversations/{id}/threads`; also the key of the route in `stats()`. */
  template: string;
  handler: Handler;
  /** Create Conversation has its own, smaller body limit. */
  bodyLimit: 'createConversation' | 'thread' | 'request';
  pattern: RegExp;
  keys: string[];
}

function route(
  method: string,
  template: string,
  handler: Handler,
  bodyLimit: Route['bodyLimit'] = 'request',
): Route {
  const keys: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    keys.push(key);
    return '(\\d+)';
  });
  return { method, template, handler, bodyLimit, pattern: new RegExp(`^${source}$`), keys };
}

const threadRoute = (endpoint: ThreadEndpoint) =>
  route('POST', `/v2/conversations/{id}/${endpoint}`, createThread(endpoint), 'thread');

const ROUTES: Route[] = [
  route('GET', '/v2/conversations', listConversations),
  route('POST', '/v2/conversations', createConversation, 'createConversation'),
  route('GET', '/v2/conversations/{id}', getConversation),
  route('DELETE', '/v2/conversations/{id}', deleteConversation),
  route('GET', '/v2/conversations/{id}/threads', listThreads),
  threadRoute('chats'),
  threadRoute('customer'),
  threadRoute('reply'),
  threadRoute('notes'),
  threadRoute('phones'),
  route('POST', '/v2/conversations/{id}/threads/{threadId}/attachments', createAttachment),
  route('PUT', '/v2/conversations/{id}/tags', setTags),
  route('GET', '/v2/customers', listCustomers),
  route('GET', '/v2/customers/{id}', getCustomer),
  route('GET', '/v2/users', listUsers),
  { ...route('GET', '/v2/users/me', getUser), keys: [] },
  route('GET', '/v2/users/{id}', getUser),
  route('GET', '/v2/mailboxes', listMailboxes),
  route('GET', '/v2/mailboxes/{id}', getMailbox),
];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Trailing slashes are accepted: the recordings' `_links` use both forms. */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => {
      params[k] = m[i + 1] ?? '';
    });
    if (r.template === '/v2/users/me') params.id = 'me';
    return { route: r, params };
  }
  return undefined;
}
