import {
  CONVERSATION_STATUSES,
  type ConversationStatus,
  INLINE_THREAD_TYPES,
  type ThreadEndpoint,
} from '../../api/api-types.js';
import { STORED_TYPE_OF_INLINE } from '../../api/thread-types.js';
import type { Store } from '../store.js';
import type { StoredAttachment, StoredThreadType } from '../types.js';
import { readAttachments } from './attachments.js';
import type { CustomerResolver } from './customer.js';
import {
  given,
  isObject,
  type Problems,
  readBoolean,
  readId,
  readOptionalDate,
  readOptionalEnum,
  readRequiredEnum,
  readRequiredText,
} from './problems.js';

/** A validated thread, before ids and times are decided. */
export interface ThreadDraft {
  type: StoredThreadType;
  text: string;
  customerId?: number;
  userId?: number;
  createdAt?: string;
  /** The thread's own `imported` (Create Conversation threads only). */
  imported?: boolean;
  attachments: StoredAttachment[];
}

export interface ValidationContext {
  store: Store;
  customers: CustomerResolver;
}

/** The table of thread endpoints in helpscout-api.md. */
export const THREAD_ENDPOINT_RULES: Record<
  ThreadEndpoint,
  { stored: StoredThreadType; customerRequired: boolean; takesUser: boolean }
> = {
  chats: { stored: 'chat', customerRequired: true, takesUser: false },
  customer: { stored: 'customer', customerRequired: true, takesUser: false },
  reply: { stored: 'message', customerRequired: true, takesUser: true },
  notes: { stored: 'note', customerRequired: false, takesUser: true },
  phones: { stored: 'phone', customerRequired: true, takesUser: false },
};

/** `user` is a number naming an existing user (teams cannot author threads). */
export function readUser(p: Problems, path: string, v: unknown, store: Store): number | undefined {
  if (!given(v)) return undefined;
  const id = readId(v);
  if (id === undefined) {
    p.add(path, 'must be a number', v);
    return undefined;
  }
  if (store.users.get(id)?.type !== 'user') {
    p.add(path, 'user not found', v);
    return undefined;
  }
  return id;
}

/** One entry of Create Conversation's `threads[]`. */
export function readInlineThread(
  p: Problems,
  path: string,
  v: unknown,
  ctx: ValidationContext,
): ThreadDraft | undefined {
  if (!isObject(v)) {
    p.add(path, 'must be an object', v ?? null);
    return undefined;
  }
  const inlineType = readRequiredEnum(p, `${path}.type`, v.type, INLINE_THREAD_TYPES);
  const stored = inlineType ? STORED_TYPE_OF_INLINE[inlineType] : undefined;
  const takesUser = stored === 'message' || stored === 'note';
  const draft: ThreadDraft = {
    type: stored ?? 'chat',
    text: readRequiredText(p, `${path}.text`, v.text),
    customerId: given(v.customer) ? ctx.customers.resolve(p, `${path}.customer`, v.customer) : undefined,
    // Chat, customer and phone threads have no user: the key is ignored like any unknown field.
    userId: takesUser ? readUser(p, `${path}.user`, v.user, ctx.store) : undefined,
    createdAt: readOptionalDate(p, `${path}.createdAt`, v.createdAt),
    imported: readBoolean(p, `${path}.imported`, v.imported),
    attachments: readAttachments(p, `${path}.attachments`, v.attachments, ctx.store),
  };
  return stored ? draft : undefined;
}

export interface EndpointThread {
  draft: ThreadDraft;
  imported: boolean;
  status?: ConversationStatus;
}

/** Body of `POST /v2/conversations/{id}/{endpoint}`. */
export function readEndpointThread(
  p: Problems,
  endpoint: ThreadEndpoint,
  v: unknown,
  ctx: ValidationContext,
): EndpointThread | undefined {
  if (!isObject(v)) {
    p.add('', 'request body must be a JSON object', v);
    return undefined;
  }
  const rule = THREAD_ENDPOINT_RULES[endpoint];
  let customerId: number | undefined;
  if (given(v.customer)) customerId = ctx.customers.resolve(p, 'customer', v.customer);
  else if (rule.customerRequired) p.add('customer', 'may not be null', null);
  const draft: ThreadDraft = {
    type: rule.stored,
    text: readRequiredText(p, 'text', v.text),
    customerId,
    userId: rule.takesUser ? readUser(p, 'user', v.user, ctx.store) : undefined,
    createdAt: readOptionalDate(p, 'createdAt', v.createdAt),
    attachments: readAttachments(p, 'attachments', v.attachments, ctx.store),
  };
  const imported = readBoolean(p, 'imported', v.imported);
  const status = rule.takesUser ? readOptionalEnum(p, 'status', v.status, CONVERSATION_STATUSES) : undefined;
  return { draft, imported, status };
}
