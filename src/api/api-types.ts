/**
 * Wire types of the Help Scout Mailbox API v2, as far as this importer uses them.
 * Shared by the client (src/helpscout) and the emulator (src/emulator); nothing else is shared between them.
 */

export const CONVERSATION_STATUSES = ['active', 'pending', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const CONVERSATION_TYPES = ['chat', 'email', 'phone'] as const;
export type ConversationType = (typeof CONVERSATION_TYPES)[number];

/** Thread types accepted inside Create Conversation's `threads[]`. */
export const INLINE_THREAD_TYPES = ['chat', 'customer', 'reply', 'note', 'phone'] as const;
export type InlineThreadType = (typeof INLINE_THREAD_TYPES)[number];

/** `POST /v2/conversations/{id}/<endpoint>` for each thread endpoint. */
export const THREAD_ENDPOINTS = ['chats', 'customer', 'reply', 'notes', 'phones'] as const;
export type ThreadEndpoint = (typeof THREAD_ENDPOINTS)[number];

export const PHOTO_TYPES = [
  'unknown',
  'gravatar',
  'twitter',
  'facebook',
  'googleprofile',
  'googleplus',
  'linkedin',
  'instagram',
] as const;
export const GENDERS = ['male', 'female', 'unknown'] as const;

/** Limits from the seed document and helpscout-api.md. */
export const API_LIMITS = {
  nameMax: 40,
  jobTitleMax: 60,
  locationMax: 60,
  organizationMax: 60,
  photoUrlMax: 200,
  backgroundMax: 200,
  /** Create Conversation accepts 1 to this many inline threads; more → 412. */
  maxInlineThreads: 100,
  /** Adding a thread to a conversation that already holds this many or more → 412. */
  appendCapThreads: 99,
  /** Create Conversation body size (bytes) beyond which the API answers 413. */
  createConversationBytes: 256 * 1024,
  /** Any other request body (bytes) beyond which the API answers 413. */
  requestBytes: 10 * 1024 * 1024,
} as const;

/** Rate-limit points: a read costs 1, a write (POST, PUT, PATCH, DELETE) 2. */
export const READ_COST = 1;
export const WRITE_COST = 2;

/** Cost of a request in rate-limit points. */
export function rateLimitCost(method: string): number {
  return isRead(method) ? READ_COST : WRITE_COST;
}

export function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Points that this many writes and reads cost. */
export function pointsOf(writes: number, reads = 0): number {
  return writes * WRITE_COST + reads * READ_COST;
}

export interface CustomerRef {
  id?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  photoUrl?: string;
  jobTitle?: string;
  photoType?: string;
  background?: string;
  location?: string;
  organization?: string;
  gender?: string;
  age?: string;
}

export interface AttachmentBody {
  fileName: string;
  mimeType: string;
  /** Base64 of the file's bytes. */
  data: string;
}

/** A thread inside Create Conversation. */
export interface InlineThreadBody {
  type: InlineThreadType;
  text: string;
  customer?: CustomerRef;
  user?: number;
  /** Sent on every inline thread too: `createdAt` may be honoured only with the thread's own `imported`. */
  imported?: boolean;
  createdAt?: string;
  attachments?: AttachmentBody[];
}

export interface CreateConversationBody {
  subject: string;
  type: ConversationType;
  mailboxId: number;
  status: ConversationStatus;
  customer: CustomerRef;
  threads: InlineThreadBody[];
  imported?: boolean;
  createdAt?: string;
  closedAt?: string;
  tags?: string[];
  assignTo?: number | null;
  user?: number;
}

/** Body of `POST /v2/conversations/{id}/{chats|customer|reply|notes|phones}`. */
export interface CreateThreadBody {
  text: string;
  customer?: CustomerRef;
  user?: number;
  imported?: boolean;
  createdAt?: string;
  attachments?: AttachmentBody[];
  status?: ConversationStatus;
}

export interface HalPage {
  size: number;
  totalElements: number;
  totalPages: number;
  number: number;
}

export interface HalLink {
  href: string;
  templated?: boolean;
}

export interface HalList<K extends string, T> {
  _embedded?: { [key in K]?: T[] };
  _links?: Record<string, HalLink>;
  page?: HalPage;
}

/** A thread as `GET /v2/conversations/{id}/threads` returns it (fields the importer reads). */
export interface ThreadResource {
  id: number;
  type: string;
  body?: string;
  createdAt: string;
  customer?: { id: number; email?: string };
  createdBy?: { id: number; type: string; email?: string };
  _embedded?: {
    attachments?: { id: number; filename: string; mimeType: string; size: number }[];
  };
}

/** A conversation as `GET /v2/conversations[/{id}]` returns it (fields the importer reads). */
/** A conversation read by id: found, moved (merged into another, a 301), or not there. */
export type ConversationRead =
  | { kind: 'found'; conversation: ConversationResource }
  | { kind: 'moved'; to: number }
  | { kind: 'missing' };

export interface ConversationResource {
  id: number;
  number?: number;
  subject?: string;
  status: string;
  mailboxId: number;
  createdAt: string;
  threads?: number;
  tags?: { id: number; color?: string; tag: string }[];
  primaryCustomer?: { id: number; email?: string };
  /** `deleted` when a deleted conversation is still listed (it may be): never one of ours to match. */
  state?: string;
  /** `web.href`: where an agent opens it. */
  _links?: Record<string, HalLink>;
}

/** A customer as `GET /v2/customers` lists it: its addresses under `_embedded.emails`. */
export interface CustomerResource {
  id: number;
  _embedded?: { emails?: { id: number; value: string }[] };
}

export interface UserResource {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  role?: string;
  type?: string;
}

export interface MailboxResource {
  id: number;
  name: string;
  slug?: string;
  email?: string;
}

/** `application/vnd.error+json` body. */
export interface VndError {
  logRef?: string;
  message: string;
  _embedded?: { errors?: { path?: string; message?: string; rejectedValue?: unknown; source?: string }[] };
}

/** Help Scout dates: `yyyy-MM-ddTHH:mm:ssZ`, UTC, no milliseconds. */
export const API_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function toApiDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
