import type { Logger } from 'pino';
import { customerExists } from '../helpscout/account-checks.js';
import type { HelpScoutClient } from '../helpscout/client.js';
import type { CustomerMemory } from '../state/customers.js';
import type { PartRecord, Parts } from '../state/parts.js';
import type { RunStats } from './stats.js';

/** Reads at once while checking customers: the rate limiter paces them; this only bounds what is in flight. */
const CHECKS_IN_FLIGHT = 4;

/** Why a part cannot be created: its `customer_id` names no customer of the account. */
export function unknownCustomerReason(customerId: number): string {
  return `customer_id ${customerId} is not a Help Scout customer (GET /v2/customers/${customerId} answered 404): give an existing customer's id, or the customer's email instead`;
}

/**
 * The customer ids named by parts not yet created that are no customers of the account: one read per distinct
 * id, but those `memory` holds (found by an earlier run). Help Scout would refuse each such Create
 * Conversation with a 400; checked first, the run can say which rows are at fault and send the rest.
 */
export async function unknownCustomers(
  client: HelpScoutClient,
  parts: readonly PartRecord[],
  memory?: CustomerMemory,
): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const part of parts) {
    const id = part.envelope.customer.id;
    if (part.hsConversationId === null && id !== undefined && !memory?.known(id)) ids.add(id);
  }
  const queue = [...ids];
  const unknown = new Set<number>();
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (await customerExists(client, id)) memory?.found(id);
      else unknown.add(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHECKS_IN_FLIGHT, queue.length) }, worker));
  return unknown;
}

/** Whether a part names one of these unknown customers (and is not created yet). */
export function namesUnknownCustomer(part: PartRecord, unknown: ReadonlySet<number>): number | undefined {
  const id = part.envelope.customer.id;
  return part.hsConversationId === null && id !== undefined && unknown.has(id) ? id : undefined;
}

/**
 * import's check before sending: the parts of an unknown customer fail with the reason (nothing was sent for
 * them; a rerun checks again), and the rest is returned to be sent.
 */
export async function withoutUnknownCustomers(
  client: HelpScoutClient,
  repo: Parts,
  parts: readonly PartRecord[],
  stats: RunStats,
  log: Logger,
  memory?: CustomerMemory,
): Promise<PartRecord[]> {
  const unknown = await unknownCustomers(client, parts, memory);
  if (unknown.size === 0) return [...parts];
  const rest: PartRecord[] = [];
  for (const part of parts) {
    const id = namesUnknownCustomer(part, unknown);
    if (id === undefined) {
      rest.push(part);
      continue;
    }
    const pending = repo
      .threads(part.id)
      .filter((t) => t.state === 'pending')
      .map((t) => t.id);
    repo.threadsFailed(pending, unknownCustomerReason(id));
    stats.threadsFailed += pending.length;
    log.warn(
      {
        event: 'conversation.customer-unknown',
        conversation: part.conversationKey,
        part: part.partNo,
        customerId: id,
      },
      unknownCustomerReason(id),
    );
  }
  return rest;
}
