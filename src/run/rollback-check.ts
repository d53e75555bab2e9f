import type { ConversationResource } from '../api/api-types.js';
import type { PartEnvelope } from '../plan/plan-conversation.js';

/** What this state file sent for a part: what its conversation must still show to be deleted. */
export interface SentConversation {
  envelope: PartEnvelope;
  /** The createdAt of the part's first thread, which Create Conversation was given. */
  createdAt: string | undefined;
}

/**
 * Why a conversation read back is not the one this state file created (someone changed it, or the id names
 * another conversation: another account, another emulator), or undefined when it is ours to delete.
 */
export function notOurs(found: ConversationResource, sent: SentConversation): string | undefined {
  const { envelope } = sent;
  if ((found.subject ?? '') !== envelope.subject) {
    return `subject is ${JSON.stringify(found.subject ?? '')}, not ${JSON.stringify(envelope.subject)}`;
  }
  const customer = found.primaryCustomer;
  if (envelope.customer.id !== undefined) {
    if (customer?.id !== envelope.customer.id)
      return `customer is ${customer?.id ?? 'none'}, not ${envelope.customer.id}`;
  } else if ((customer?.email ?? '').toLowerCase() !== (envelope.customer.email ?? '').toLowerCase()) {
    return `customer is ${customer?.email || 'none'}, not ${envelope.customer.email}`;
  }
  if (sent.createdAt !== undefined && !sameInstant(found.createdAt, sent.createdAt)) {
    return `created ${found.createdAt}, not ${sent.createdAt}`;
  }
  // Help Scout lowercases tags and may return them in another order.
  const tags = new Set((found.tags ?? []).map((t) => t.tag.toLowerCase()));
  const missing = envelope.tags.filter((t) => !tags.has(t.toLowerCase()));
  if (missing.length > 0) return `tag ${missing.join(', ')} missing`;
  return undefined;
}

function sameInstant(a: string, b: string): boolean {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? a === b : Math.floor(x / 1000) === Math.floor(y / 1000);
}
