import {
  API_LIMITS,
  CONVERSATION_STATUSES,
  CONVERSATION_TYPES,
  type ConversationStatus,
  type ConversationType,
} from '../../api/api-types.js';
import { ApiError } from '../api-error.js';
import {
  given,
  isObject,
  Problems,
  readBoolean,
  readId,
  readOptionalDate,
  readRequiredEnum,
  readRequiredText,
} from './problems.js';
import { readInlineThread, readUser, type ThreadDraft, type ValidationContext } from './thread.js';

export interface ConversationDraft {
  subject: string;
  type: ConversationType;
  mailboxId: number;
  status: ConversationStatus;
  customerId: number;
  threads: ThreadDraft[];
  imported: boolean;
  createdAt?: string;
  closedAt?: string;
  tags: string[];
  /** undefined: the inbox default (unassigned here); null: unassigned. */
  assignTo: number | null | undefined;
  userId?: number;
}

/** Validates Create Conversation; throws 400 with every field error, or 412 over the thread cap. */
export function readCreateConversation(v: unknown, ctx: ValidationContext): ConversationDraft {
  const p = new Problems();
  if (!isObject(v))
    throw ApiError.badRequest([{ path: '', message: 'must be a JSON object', rejectedValue: v }]);
  const subject = readRequiredText(p, 'subject', v.subject);
  const type = readRequiredEnum(p, 'type', v.type, CONVERSATION_TYPES);
  const status = readRequiredEnum(p, 'status', v.status, CONVERSATION_STATUSES);
  const mailboxId = readMailbox(p, v.mailboxId, ctx);
  if (!given(v.customer)) p.add('customer', 'may not be null', null);
  const customerId = given(v.customer) ? ctx.customers.resolve(p, 'customer', v.customer) : undefined;
  const threads: ThreadDraft[] = [];
  if (!Array.isArray(v.threads)) p.add('threads', 'may not be null', v.threads ?? null);
  else if (v.threads.length === 0) p.add('threads', 'must contain at least 1 thread', []);
  else
    v.threads.forEach((t, i) => {
      const draft = readInlineThread(p, `threads[${i}]`, t, ctx);
      if (draft) threads.push(draft);
    });
  const imported = readBoolean(p, 'imported', v.imported);
  const createdAt = readOptionalDate(p, 'createdAt', v.createdAt);
  const closedAt = readOptionalDate(p, 'closedAt', v.closedAt);
  const tags = readTags(p, 'tags', v.tags);
  const assignTo = v.assignTo === null ? null : readUser(p, 'assignTo', v.assignTo, ctx.store);
  const userId = readUser(p, 'user', v.user, ctx.store);
  if (p.any) throw ApiError.badRequest(p.list);
  if (Array.isArray(v.threads) && v.threads.length > API_LIMITS.maxInlineThreads) {
    throw new ApiError(412, `A conversation can hold at most ${API_LIMITS.maxInlineThreads} threads`);
  }
  return {
    subject,
    type: type as ConversationType,
    mailboxId: mailboxId as number,
    status: status as ConversationStatus,
    customerId: customerId as number,
    threads,
    imported,
    createdAt,
    closedAt,
    tags,
    assignTo,
    userId,
  };
}

function readMailbox(p: Problems, v: unknown, ctx: ValidationContext): number | undefined {
  if (!given(v)) {
    p.add('mailboxId', 'may not be null', null);
    return undefined;
  }
  const id = readId(v);
  if (id === undefined) p.add('mailboxId', 'must be a number', v);
  else if (!ctx.store.mailboxes.has(id)) p.add('mailboxId', 'mailbox not found', v);
  return id;
}

export function readTags(p: Problems, path: string, v: unknown): string[] {
  if (!given(v)) return [];
  if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || t.trim() === '')) {
    p.add(path, 'must be an array of tag names', v);
    return [];
  }
  return [...new Set(v as string[])];
}
