import type { ResolvedConfig } from '../config/load.js';
import { namesUnknownCustomer, unknownCustomerReason, unknownCustomers } from '../run/customer-check.js';
import { mailboxIdOf } from '../run/import.js';
import { checkMailbox } from '../run/target.js';
import { Parts } from '../state/parts.js';
import type { StateStore } from '../state/store.js';
import { silentLogger } from '../util/logger.js';
import { openCommandSession } from './api-endpoint.js';

export interface OnlineFindings {
  /** What was checked, for the output. */
  summary: string;
  /** Rows import would fail: each in validate's reject form. */
  rows: { file: string; row: number; line: number; field: string; reason: string }[];
  /** Conversations those rows belong to. */
  conversations: number;
}

/**
 * `validate --online`: what only the account can tell, with reads only: the credentials (the token request),
 * the mailbox (one read), and each distinct `customer_id` of the plan (one read each). A refused token or an
 * unknown mailbox ends the command as import would (exit 1); rows of an unknown customer are listed.
 */
export async function onlineChecks(config: ResolvedConfig, store: StateStore): Promise<OnlineFindings> {
  const mailboxId = mailboxIdOf(config);
  const log = silentLogger();
  const session = await openCommandSession(config, log);
  try {
    await checkMailbox(session.client, mailboxId);
    const repo = new Parts(store);
    const parts = repo.toSend();
    const unknown = await unknownCustomers(session.client, parts);
    const rows: OnlineFindings['rows'] = [];
    const conversations = new Set<string>();
    for (const part of parts) {
      const id = namesUnknownCustomer(part, unknown);
      if (id === undefined) continue;
      conversations.add(part.conversationKey);
      for (const { row } of repo.threads(part.id))
        rows.push({ ...row.pos, field: 'customer_id', reason: unknownCustomerReason(id) });
    }
    const ids = new Set(
      parts.flatMap((p) => (p.envelope.customer.id === undefined ? [] : [p.envelope.customer.id])),
    );
    return {
      summary: `online: credentials accepted, mailbox ${mailboxId} found, ${ids.size} customer ids checked (${unknown.size} unknown)`,
      rows,
      conversations: conversations.size,
    };
  } finally {
    await session.close();
  }
}
