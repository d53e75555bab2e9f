import type { ConversationRead } from '../api/api-types.js';
import { ApiError } from '../helpscout/errors.js';
import type { Parts } from '../state/parts.js';
import type { WriteLog } from '../state/write-log.js';
import { notOurs } from './rollback-check.js';

export interface RollbackApi {
  getConversation(id: number): Promise<ConversationRead>;
  deleteConversation(id: number): Promise<void>;
}

/** One line of rollback.csv: what was done with one conversation, and the customer the import created. */
export interface RollbackLine {
  conversationId: number;
  subject: string;
  /** The customer's address when the import named it by email (Help Scout created or matched it). */
  customerEmail: string;
  action:
    | 'deleted'
    | 'not found: left as it is'
    | `merged into ${number}: left as it is`
    | `changed: ${string}`;
}

/**
 * Deletes the conversations of these parts, each a write of its own in the log, but only after reading each
 * back and finding the one this state file created: anything else (changed by someone, gone, merged) is
 * listed and left alone, and its part keeps its threads done. A deleted part's earlier writes stay in the
 * log as history (live_writes no longer counts them), its threads are pending again and the next import
 * plans and sends them anew, as if never sent.
 */
export async function rollBackParts(
  api: RollbackApi,
  writes: WriteLog,
  repo: Parts,
  parts: readonly { id: number; hs: number }[],
): Promise<RollbackLine[]> {
  const lines: RollbackLine[] = [];
  for (const part of parts) {
    const record = repo.part(part.id);
    const envelope = record.envelope;
    const line = (action: RollbackLine['action']): RollbackLine => ({
      conversationId: part.hs,
      subject: envelope.subject,
      customerEmail: envelope.customer.id === undefined ? (envelope.customer.email ?? '') : '',
      action,
    });
    const read = await api.getConversation(part.hs);
    if (read.kind === 'missing') {
      lines.push(line('not found: left as it is'));
      continue;
    }
    if (read.kind === 'moved') {
      lines.push(line(`merged into ${read.to}: left as it is`));
      continue;
    }
    const why = notOurs(read.conversation, { envelope, createdAt: repo.threads(part.id)[0]?.row.createdAt });
    if (why !== undefined) {
      lines.push(line(`changed: ${why}`));
      continue;
    }
    lines.push(line(await deleteOne(api, writes, repo, part)));
  }
  return lines;
}

async function deleteOne(
  api: RollbackApi,
  writes: WriteLog,
  repo: Parts,
  part: { id: number; hs: number },
): Promise<'deleted' | 'not found: left as it is'> {
  const writeId = writes.intent(part.id, 'delete-conversation', [], part.hs);
  try {
    await api.deleteConversation(part.hs);
  } catch (error) {
    // Gone between the read and the delete: not deleted by us, and so not a reason to send it again.
    const status = error instanceof ApiError ? error.status : undefined;
    writes.finish(
      writeId,
      status !== undefined
        ? { kind: 'refused', status, error: (error as Error).message }
        : { kind: 'in-doubt', reason: (error as Error).message },
    );
    if (status === 404) return 'not found: left as it is';
    throw error;
  }
  writes.finish(writeId, { kind: 'deleted' }, () => repo.rolledBack(part.id));
  return 'deleted';
}
