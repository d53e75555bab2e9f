import type { CustomerRef, InlineThreadType } from '../api/api-types.js';
import { STORED_TYPE_OF_INLINE } from '../api/thread-types.js';
import type { HelpScoutApi } from '../helpscout/client.js';
import { retrying } from '../helpscout/retry-policy.js';
import type { Clock } from '../util/clock.js';

export interface SearchPolicy {
  retries: number;
  delayMs: number;
}

/** Help Scout may rewrite markup (`<br>` comes back as `<br />`) and whitespace; compare what a reader sees. */
export function normalizeBody(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '<br>')
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
  const query = {
    mailbox: probe.mailboxId,
    status: 'all',
    tag: probe.tag,
    modifiedSince: probe.since,
    sortField: 'createdAt',
    sortOrder: 'asc',
  };
  const search = async (): Promise<number> => {
    for await (const conversation of client.listConversations(query)) {
      if (probe.knownIds.has(conversation.id)) continue;
      if (conversation.subject !== probe.subject || conversation.createdAt !== probe.createdAt) continue;
      if (sameCustomer(probe.customer, conversation.primaryCustomer)) return conversation.id;
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

function sameCustomer(expected: CustomerRef, actual: { id: number; email?: string } | undefined): boolean {
  if (!actual) return false;
  if (expected.id !== undefined) return actual.id === expected.id;
  return actual.email?.toLowerCase() === expected.email?.toLowerCase();
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
): Promise<{ found: false } | { found: true; id: number }> {
  const type = STORED_TYPE_OF_INLINE[probe.type];
  const body = normalizeBody(probe.text);
  const matches: number[] = [];
  for await (const thread of client.listThreads(conversationId)) {
    if (
      thread.type === type &&
      thread.createdAt === probe.createdAt &&
      normalizeBody(thread.body ?? '') === body
    ) {
      matches.push(thread.id);
    }
  }
  if (matches.length <= probe.alreadyDone) return { found: false };
  // Newest first: the last match listed is the oldest; the one in doubt is the newest.
  return { found: true, id: matches[0] as number };
}
