import type { HelpScoutClient } from './client.js';
import { ApiError } from './errors.js';

/**
 * One read that tells whether a resource exists in the account: a 404 says no; any other refusal (403, a
 * 5xx after the retries) is the client's to raise, since it says nothing about the resource.
 */
async function exists(client: HelpScoutClient, path: string): Promise<boolean> {
  try {
    await client.call({ method: 'GET', path });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}

/** Whether `target.mailboxId` is a mailbox of the account the token belongs to (GET /v2/mailboxes/{id}). */
export function mailboxExists(client: HelpScoutClient, mailboxId: number): Promise<boolean> {
  return exists(client, `mailboxes/${mailboxId}`);
}

/** Whether a source's `customer_id` is a customer of the account (GET /v2/customers/{id}). */
export function customerExists(client: HelpScoutClient, customerId: number): Promise<boolean> {
  return exists(client, `customers/${customerId}`);
}
