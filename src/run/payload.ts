import { readFile } from 'node:fs/promises';
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
import type { AttachmentRef, StagedRow } from '../source/types.js';

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

/** The text a thread is sent with (and found again by): the row's, after the author's name if it goes there. */
export function sentText(row: StagedRow, shape: ThreadShape): string {
  if (!shape.authorPrefix) return row.text;
  const name = shape.authorPrefix.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `${name}: ${row.text}`;
}

/** Threads name the customer by identity only: the conversation carries the optional fields. */
export function customerIdentity(customer: CustomerRef): CustomerRef {
  return customer.id !== undefined ? { id: customer.id } : { email: customer.email as string };
}

export async function readAttachments(row: StagedRow): Promise<AttachmentBody[] | undefined> {
  if (row.attachments.length === 0) return undefined;
  return Promise.all(row.attachments.map(readAttachment));
}

export async function readAttachment(a: AttachmentRef): Promise<AttachmentBody> {
  return { fileName: a.fileName, mimeType: a.mimeType, data: (await readFile(a.path)).toString('base64') };
}

/** `withAttachments: false` for a thread too large for Create Conversation: its files follow one by one. */
export async function inlineThread(
  row: StagedRow,
  shape: ThreadShape,
  customer: CustomerRef,
  withAttachments = true,
): Promise<InlineThreadBody> {
  const attachments = withAttachments ? await readAttachments(row) : undefined;
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
export async function appendedThread(
  row: StagedRow,
  shape: ThreadShape,
  envelope: Pick<PartEnvelope, 'customer' | 'status'>,
  withAttachments = true,
): Promise<CreateThreadBody> {
  const attachments = withAttachments ? await readAttachments(row) : undefined;
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
