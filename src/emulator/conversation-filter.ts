import { API_DATE_PATTERN } from '../api/api-types.js';
import { ApiError } from './api-error.js';
import { emailsOf, type Store } from './store.js';
import type { StoredConversation } from './types.js';
import { readId } from './validation/problems.js';

/** The filters of `GET /v2/conversations`, validated. */
export interface ConversationFilter {
  mailboxId?: number;
  statuses?: string[];
  tags?: string[];
  modifiedSince?: string;
  terms: { field: 'email' | 'subject'; value: string }[];
  sortField: string;
  sortOrder: 'asc' | 'desc';
}

const STATUSES = ['active', 'pending', 'closed', 'spam'];
const SORT_FIELDS = [
  'createdAt',
  'modifiedAt',
  'number',
  'subject',
  'status',
  'customerEmail',
  'customerName',
];

const bad = (path: string, message: string, rejectedValue: unknown) =>
  ApiError.badRequest([{ path, message, rejectedValue }]);

/**
 * The search syntax the emulator understands: `(email:"x")`, `(subject:"…")`, joined with AND. Anything else
 * is a loud 400 rather than a silently wrong answer.
 */
export function parseSearchQuery(
  raw: string,
  fields: readonly ('email' | 'subject')[],
): ConversationFilter['terms'] {
  const inner = raw.replace(/[()]/g, ' ').trim();
  if (inner === '') return [];
  return inner.split(/\s+AND\s+/).map((term) => {
    const m = /^(\w+)\s*:\s*"?([^"]*)"?$/.exec(term.trim());
    const field = m?.[1];
    if (!m || !field || !(fields as readonly string[]).includes(field)) {
      throw bad(
        'query',
        `the emulator supports only ${fields.map((f) => `(${f}:"…")`).join(', ')} joined with AND`,
        raw,
      );
    }
    return { field: field as 'email' | 'subject', value: m[2] ?? '' };
  });
}

export function readConversationFilter(q: URLSearchParams): ConversationFilter {
  const filter: ConversationFilter = {
    terms: parseSearchQuery(q.get('query') ?? '', ['email', 'subject']),
    sortField: q.get('sortField') ?? 'createdAt',
    sortOrder: 'desc',
  };
  const mailbox = q.get('mailbox');
  if (mailbox !== null) {
    const id = readId(mailbox);
    if (id === undefined) throw bad('mailbox', 'must be a number', mailbox);
    filter.mailboxId = id;
  }
  // Help Scout answers only active conversations unless asked otherwise (conversation-list.yml).
  const status = q.get('status') ?? 'active';
  if (status !== 'all') {
    if (!STATUSES.includes(status))
      throw bad('status', `must be all or one of ${STATUSES.join(', ')}`, status);
    filter.statuses = [status];
  }
  const tag = q.get('tag');
  if (tag) filter.tags = tag.split(',').map((t) => t.trim());
  const since = q.get('modifiedSince');
  if (since !== null) {
    if (!API_DATE_PATTERN.test(since)) throw bad('modifiedSince', "must be yyyy-MM-dd'T'HH:mm:ss'Z'", since);
    filter.modifiedSince = since;
  }
  if (!SORT_FIELDS.includes(filter.sortField)) {
    throw bad('sortField', `must be one of ${SORT_FIELDS.join(', ')}`, filter.sortField);
  }
  const order = q.get('sortOrder') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw bad('sortOrder', 'must be asc or desc', order);
  filter.sortOrder = order;
  return filter;
}

function customerEmails(store: Store, c: StoredConversation): string[] {
  const ids = new Set([c.customerId, ...c.threads.map((t) => t.customerId)]);
  return [...ids].flatMap((id) => {
    const c = store.customers.get(id);
    return c ? emailsOf(c).map((e) => e.toLowerCase()) : [];
  });
}

export function matches(store: Store, c: StoredConversation, f: ConversationFilter): boolean {
  if (c.mergedInto !== undefined) return false;
  if (f.mailboxId !== undefined && c.mailboxId !== f.mailboxId) return false;
  if (f.statuses && !f.statuses.includes(c.status)) return false;
  if (f.tags && !f.tags.some((t) => c.tags.includes(t))) return false;
  if (f.modifiedSince && c.modifiedAt < f.modifiedSince) return false;
  return f.terms.every((term) =>
    term.field === 'email'
      ? customerEmails(store, c).includes(term.value.toLowerCase())
      : c.subject.toLowerCase().includes(term.value.toLowerCase()),
  );
}

export function sortKey(store: Store, c: StoredConversation, field: string): string | number {
  const customer = store.customers.get(c.customerId);
  switch (field) {
    case 'modifiedAt':
      return c.modifiedAt;
    case 'number':
      return c.number;
    case 'subject':
      return c.subject.toLowerCase();
    case 'status':
      return c.status;
    case 'customerEmail':
      return customer?.email?.toLowerCase() ?? '';
    case 'customerName':
      return `${customer?.firstName ?? ''} ${customer?.lastName ?? ''}`.toLowerCase();
    default:
      return c.createdAt;
  }
}
