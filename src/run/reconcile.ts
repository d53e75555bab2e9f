import type { CustomerRef, InlineThreadType } from '../api/api-types.js';
import { STORED_TYPE_OF_INLINE } from '../api/thread-types.js';
import type { HelpScoutApi } from '../helpscout/client.js';
import { retrying } from '../helpscout/retry-policy.js';
import type { Clock } from '../util/clock.js';

export interface SearchPolicy {
  retries: number;
  delayMs: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * What a reader sees of a body: Help Scout may rewrite markup (`<br>` as `<br />`), leave quotes unescaped, or
 * change whitespace, so tags become spaces, entities are decoded and whitespace collapses.
 */
export function normalizeBody(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ConversationProbe {
  mailboxId: number;
  tag: string | undefined;
  /** When the create was attempted: the conversation, if it exists, was modified after it. */
  since: string;
  subject: string;
  createdAt: string;
  customer: CustomerRef;
  /** Conversations this import already knows: a match among them is not the one in doubt. */
  knownIds: ReadonlySet<number>;
}

/**
 * Looks for a conversation whose create is in doubt. Search may lag creation, so a miss is read again a
 * bounded number of times, waiting longer each time, before it counts as "not created".
 */
export async function findConversation(
  client: HelpScoutApi,
  probe: ConversationProbe,
  policy: SearchPolicy,
  clock: Clock,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const matcher = customerMatcher(client, probe.customer);
  const base = { mailbox: probe.mailboxId, status: 'all', tag: probe.tag };
  // `modifiedSince` may be the import's time or the conversation's historic one: a narrow search on the
  // customer (or the subject) backs it up.
  const queries = [
    { ...base, modifiedSince: probe.since, sortField: 'createdAt', sortOrder: 'asc' },
    { ...base, query: searchTerm(probe) },
  ];
  const search = async (): Promise<number> => {
    for (const query of queries) {
      for await (const conversation of client.listConversations(query)) {
        if (probe.knownIds.has(conversation.id) || conversation.state === 'deleted') continue;
        if (conversation.subject !== probe.subject || conversation.createdAt !== probe.createdAt) continue;
        if (await matcher(conversation.primaryCustomer)) return conversation.id;
      }
    }
    throw new NotListedYet();
  };
  try {
    return await retrying(search, {
      policy: {
        retries: policy.retries,
        minDelayMs: policy.delayMs,
        maxDelayMs: policy.delayMs * 2 ** policy.retries,
      },
      // No jitter: one worker asks, and the list's lag, not a crowd, is what it waits out.
      delayMs: (attempt) => policy.delayMs * 2 ** attempt,
      clock,
      signal,
      shouldRetry: (error) => error instanceof NotListedYet,
    });
  } catch (error) {
    if (error instanceof NotListedYet) return undefined;
    throw error;
  }
}

/** A search that did not find the conversation: the list may lag creation, so it is asked again. */
class NotListedYet extends Error {}

/** Help Scout's search syntax, by the customer's email when there is one, else by subject. */
function searchTerm(probe: ConversationProbe): string {
  const quoted = (value: string) => `"${value.replace(/["\\]/g, ' ')}"`;
  return probe.customer.email !== undefined
    ? `(email:${quoted(probe.customer.email)})`
    : `(subject:${quoted(probe.subject)})`;
}

/**
 * Whether a listed conversation's customer is the one sent. By id when one was sent; by email otherwise,
 * where the list shows the customer's primary address, which need not be the one sent: then by the ids of
 * the customers having that address (looked up once).
 */
function customerMatcher(
  client: HelpScoutApi,
  expected: CustomerRef,
): (actual: { id: number; email?: string } | undefined) => Promise<boolean> {
  let idsOfEmail: Promise<number[]> | undefined;
  return async (actual) => {
    if (!actual) return false;
    if (expected.id !== undefined) return actual.id === expected.id;
    const email = expected.email?.toLowerCase();
    if (email === undefined) return false;
    if (actual.email?.toLowerCase() === email) return true;
    idsOfEmail ??= client.findCustomerIds(email);
    return (await idsOfEmail).includes(actual.id);
  };
}

export interface ThreadProbe {
  type: InlineThreadType;
  text: string;
  createdAt: string;
  /** Threads with the same type, time and text this import already recorded as done in that conversation. */
  alreadyDone: number;
}

/**
 * Looks for a thread whose create is in doubt in its conversation's thread list (not a search: no lag).
 * Found when Help Scout holds more such threads than the ledger already knows of.
 */
export async function findThread(
  client: HelpScoutApi,
  conversationId: number,
  probe: ThreadProbe,
): Promise<{ found: false } | { found: true; id: number; files: number }> {
  const type = STORED_TYPE_OF_INLINE[probe.type];
  const body = normalizeBody(probe.text);
  const matches: { id: number; files: number }[] = [];
  for await (const thread of client.listThreads(conversationId)) {
    if (
      thread.type === type &&
      thread.createdAt === probe.createdAt &&
      normalizeBody(thread.body ?? '') === body
    ) {
      matches.push({ id: thread.id, files: thread._embedded?.attachments?.length ?? 0 });
    }
  }
  if (matches.length <= probe.alreadyDone) return { found: false };
  // Newest first: the last match listed is the oldest; the one in doubt is the newest.
  const newest = matches[0] as { id: number; files: number };
  return { found: true, ...newest };
}
