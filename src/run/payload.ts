import type {
  AttachmentBody,
  CreateConversationBody,
  CreateThreadBody,
  CustomerRef,
  InlineThreadBody,
  InlineThreadType,
  ThreadEndpoint,
} from '../api/api-types.js';
import type { TargetConfig } from '../config/schema.js';
import type { PartEnvelope } from '../plan/plan-conversation.js';
import type { StagedRow } from '../source/types.js';

/** How one source message is sent: the thread type inline, or the endpoint that appends it. */
export interface ThreadShape {
  inlineType: InlineThreadType;
  endpoint: ThreadEndpoint;
  withCustomer: boolean;
  user?: number;
  /** The author's name, put at the head of the text: an agent who is no Help Scout user (source.unknownAgents). */
  authorPrefix?: string;
}

/** What becomes of an agent line whose author is no Help Scout user (source.unknownAgents). */
export type UnknownAgents = 'as-owner-with-name' | 'note';

/**
 * Customer lines are chat threads. Chat threads have no user, so agent lines are replies from the matching
 * Help Scout user (or notes, by config); notes and system lines (bots, events) are notes.
 */
export function threadShape(
  row: StagedRow,
  agentLines: TargetConfig['agentLines'],
  userId: number | undefined,
  unknownAgents: UnknownAgents = 'as-owner-with-name',
): ThreadShape {
  const user = userId !== undefined ? { user: userId } : {};
  // Written as the token's owner, the line would lose who wrote it: the name goes at the head of the text.
  const name = userId === undefined ? (row.authorName ?? row.authorEmail)?.trim().slice(0, 100) : undefined;
  const prefix = name ? { authorPrefix: name } : {};
  switch (row.role) {
    case 'customer':
      return { inlineType: 'chat', endpoint: 'chats', withCustomer: true };
    case 'agent':
      return agentLines === 'reply' && !(name && unknownAgents === 'note')
        ? { inlineType: 'reply', endpoint: 'reply', withCustomer: true, ...user, ...prefix }
        : { inlineType: 'note', endpoint: 'notes', withCustomer: false, ...user, ...prefix };
    case 'note':
      return { inlineType: 'note', endpoint: 'notes', withCustomer: false, ...user, ...prefix };
    case 'system':
      return { inlineType: 'note', endpoint: 'notes', withCustomer: false };
  }
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The text a thread is sent with (and found again by): the row's, after the author's name if it goes there,
 * then a link to each file that could not be downloaded (`source.attachments.onMissing: link`, decided and
 * kept before the thread's first write).
 */
export function sentText(row: StagedRow, shape: ThreadShape): string {
  const text = shape.authorPrefix ? `${escapeHtml(shape.authorPrefix)}: ${row.text}` : row.text;
  let links = '';
  for (const file of row.attachments) {
    if (file.linked === undefined || file.url === undefined) continue;
    links += `<br>Attachment: <a href="${escapeHtml(file.url).replace(/"/g, '&quot;')}">${escapeHtml(file.fileName)}</a>`;
  }
  return links === '' ? text : `${text}<br>${links}`;
}

/** Threads name the customer by identity only: the conversation carries the optional fields. */
export function customerIdentity(customer: CustomerRef): CustomerRef {
  return customer.id !== undefined ? { id: customer.id } : { email: customer.email as string };
}

/** `attachments`: the files read for this request (none when they follow the thread one by one). */
export function inlineThread(
  row: StagedRow,
  shape: ThreadShape,
  customer: CustomerRef,
  attachments?: AttachmentBody[],
): InlineThreadBody {
  return {
    type: shape.inlineType,
    text: sentText(row, shape),
    ...(shape.withCustomer ? { customer: customerIdentity(customer) } : {}),
    ...(shape.user !== undefined ? { user: shape.user } : {}),
    imported: true,
    createdAt: row.createdAt,
    ...(attachments ? { attachments } : {}),
  };
}

/**
 * A thread added to an existing conversation. Replies and notes carry the conversation's status: without it
 * Help Scout reactivates the conversation (documented; `imported` exempts only chat and customer threads).
 */
export function appendedThread(
  row: StagedRow,
  shape: ThreadShape,
  envelope: Pick<PartEnvelope, 'customer' | 'status'>,
  attachments?: AttachmentBody[],
): CreateThreadBody {
  const customer = envelope.customer;
  return {
    text: sentText(row, shape),
    // `reply` requires a customer too; chats, customer and phone threads do.
    ...(shape.withCustomer ? { customer: customerIdentity(customer) } : {}),
    ...(shape.user !== undefined ? { user: shape.user } : {}),
    imported: true,
    createdAt: row.createdAt,
    ...(shape.endpoint === 'reply' || shape.endpoint === 'notes' ? { status: envelope.status } : {}),
    ...(attachments ? { attachments } : {}),
  };
}

/**
 * Create Conversation for a part. `assignTo` is always sent: left out, Help Scout assigns by the inbox's
 * settings, and imported history must not land in agents' queues (null: unassigned).
 */
export function conversationBody(
  envelope: PartEnvelope,
  mailboxId: number,
  threads: InlineThreadBody[],
  lastCreatedAt: string,
  assignTo: number | null,
): CreateConversationBody {
  const first = threads[0];
  return {
    subject: envelope.subject,
    type: 'chat',
    mailboxId,
    status: envelope.status,
    customer: envelope.customer,
    threads,
    imported: true,
    assignTo,
    ...(first?.createdAt ? { createdAt: first.createdAt } : {}),
    ...(envelope.status === 'closed' ? { closedAt: lastCreatedAt } : {}),
    ...(envelope.tags.length > 0 ? { tags: envelope.tags } : {}),
  };
}
