import type { CustomerRef } from '../api/api-types.js';
import type { Clock } from '../util/clock.js';

/** Probabilities (0..1) of each injected fault, drawn from a seeded PRNG so a run can be replayed. */
export interface FaultOptions {
  seed?: number;
  /** Which requests may be faulted: writes (POST/PUT/PATCH/DELETE) only, or every /v2 call. Default 'writes'. */
  appliesTo?: 'writes' | 'all';
  /** Answer 500 or 503 and do nothing. */
  serverErrorBeforeCommit?: number;
  /** Commit the write, then destroy the socket without answering. */
  dropAfterCommit?: number;
  /** Destroy the socket before doing anything. */
  resetBeforeCommit?: number;
  /** Commit nothing, hold the request `stallMs`, then drop it. */
  stall?: number;
  stallMs?: number;
  /** Uniform random extra latency [min, max] ms on every /v2 request. */
  latencyMs?: [number, number];
  /**
   * A write whose thread text contains this is refused with a 400 naming that text's field (`text`, or
   * `threads[i].text` in Create Conversation), as Help Scout refuses an invalid field; nothing is done.
   */
  refuseText?: string;
  /** 400 answers name no field (no `_embedded.errors`), as some of Help Scout's do. */
  errorsWithoutPath?: boolean;
}

/** What one token request meets: `ok`, an answer of that status (nothing issued), or a stall then a drop. */
export type TokenOutcome = 'ok' | '429' | '500' | '503' | 'stall';

/** A flaky token endpoint: a scripted start, then seeded rates (0..1), so a run can be replayed. */
export interface TokenFaultOptions {
  seed?: number;
  /** Outcomes of the first token requests, in order; the rates apply after it. */
  script?: TokenOutcome[];
  /** 429 `API rate limit exceeded` with `X-RateLimit-Retry-After: 1`. */
  rateLimited?: number;
  /** 500 or 503, half each. */
  serverError?: number;
  /** Hold the request `stallMs` (injected clock), then drop it. */
  stall?: number;
  stallMs?: number;
}

/** `optimistic`: the friendly answer to every open question; `pessimistic`: the worse one (NOTES.md). */
export type EmulatorProfile = 'optimistic' | 'pessimistic';

export interface SeedMailbox {
  id: number;
  name: string;
  slug: string;
  email: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface SeedUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  role?: 'admin' | 'user';
  type?: 'user' | 'team';
  /** IANA name; `UTC` when absent. */
  timezone?: string;
  /** Absent for users without a photo: reads then omit the key (user-list.yml). */
  photoUrl?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** A customer as stored: the API's customer fields, with its id and times. */
export interface StoredCustomer extends Omit<CustomerRef, 'id'> {
  id: number;
  /** Further addresses besides the primary `email`; a create naming any of them reuses the customer. */
  emails?: string[];
  createdAt: string;
  updatedAt?: string;
  websites?: { id?: number; value: string }[];
  socialProfiles?: { id?: number; type: string; value: string }[];
}

/** A customer to seed: `createdAt` defaults to the seed date. */
export type SeedCustomer = Omit<StoredCustomer, 'createdAt'> & { createdAt?: string };

/** Where a thread or conversation came from, as reads show it (`source {type, via}`). */
export interface StoredSource {
  type: string;
  via: 'customer' | 'user';
}

/** A thread to seed: what the API would have stored, with the read-only fields reads show. */
export type SeedThread = Omit<StoredThread, 'imported' | 'attachments'> & {
  imported?: boolean;
  attachments?: StoredAttachment[];
};

/** A conversation that exists before the emulator starts (e.g. a recording's preconditions). */
export type SeedConversation = Omit<StoredConversation, 'insertedAtMs' | 'imported' | 'threads' | 'tags'> & {
  imported?: boolean;
  tags?: string[];
  threads: SeedThread[];
};

export interface EmulatorSeed {
  mailboxes: SeedMailbox[];
  users: SeedUser[];
  customers: SeedCustomer[];
  /** Conversations (with their threads) present from the start; never journaled. */
  conversations?: SeedConversation[];
  /** Tags known to the account before any conversation uses them (id and colour as the account has them). */
  tags?: StoredTag[];
}

export interface StoredAttachment {
  id: number;
  fileName: string;
  mimeType: string;
  /** Base64, as sent. */
  data: string;
  /** Decoded length in bytes. */
  size: number;
}

/** Stored thread types; a `reply` request is stored as `message`. */
export type { StoredThreadType } from '../api/thread-types.js';

import type { StoredThreadType } from '../api/thread-types.js';

export interface StoredThread {
  id: number;
  type: StoredThreadType;
  /** The request's `text`, unchanged. */
  body: string;
  createdAt: string;
  imported: boolean;
  customerId: number;
  createdBy: { type: 'customer' | 'user'; id: number };
  attachments: StoredAttachment[];
  /** Absent for API-created threads: read as `{type: 'api', via: <creator type>}`. */
  source?: StoredSource;
  /** `action.type`; `default` when absent. */
  actionType?: string;
  /** The user the conversation was assigned to when this thread was added; absent: no `assignedTo`. */
  assignedToId?: number;
  /** Shown only for threads that have one (web and email threads in thread-get.yml). */
  savedReplyId?: number;
  openedAt?: string;
}

export interface StoredConversation {
  id: number;
  number: number;
  subject: string;
  type: 'chat' | 'email' | 'phone';
  mailboxId: number;
  status: 'active' | 'pending' | 'closed';
  customerId: number;
  createdBy: { type: 'customer' | 'user'; id: number };
  imported: boolean;
  createdAt: string;
  modifiedAt: string;
  closedAt?: string;
  /** Who closed it; 0 while open. Absent: the token owner for closed conversations. */
  closedBy?: number;
  /** Help Scout's folder id; a fixed default when absent. */
  folderId?: number;
  source?: StoredSource;
  /** `customerWaitingSince`; derived from `modifiedAt` when absent. */
  waitingSince?: { time: string; friendly: string };
  assigneeId: number | null;
  /** Tag names, as sent. */
  tags: string[];
  threads: StoredThread[];
  mergedInto?: number;
  /** Deleted but still listed, with `state: deleted` (option `listDeleted`); writes answer 404. */
  deleted?: boolean;
  /** Clock time (ms) the conversation was created in the emulator; drives the search lag. */
  insertedAtMs: number;
}

export interface StoredTag {
  id: number;
  name: string;
  color: string;
}

export interface EmulatorState {
  mailboxes: SeedMailbox[];
  users: SeedUser[];
  customers: StoredCustomer[];
  conversations: StoredConversation[];
  tags: StoredTag[];
}

export interface FaultCounts {
  serverError: number;
  dropAfterCommit: number;
  resetBeforeCommit: number;
  stall: number;
}

export interface EmulatorStats {
  totalRequests: number;
  /** `METHOD /route/{pattern}` → status (or `dropped`/`reset`/`stalled`) → count. */
  requests: Record<string, Record<string, number>>;
  pointsSpent: number;
  rateLimited: number;
  faults: FaultCounts;
  tokenFaults: { rateLimited: number; serverError: number; stall: number };
  /** API calls answered 403 while access was denied. */
  accessDenied: number;
}

/**
 * What the emulator did that an importer may not expect, one entry per event, for tests to count. Kept in
 * memory like the stats (a restart from the data file starts it empty).
 */
export interface EmulatorAudit {
  /** An appended thread moved the conversation from `from` to `active`. */
  reopenedByAppend: { conversationId: number; threadId: number; from: string }[];
  /** Create Conversation without `assignTo` was assigned by the inbox default. */
  autoAssigned: { conversationId: number; userId: number }[];
  /** A thread's `createdAt` was sent but not kept. */
  createdAtIgnored: { conversationId: number; threadId: number; sent: string; stored: string }[];
  /** An attachment inside a Create Conversation thread was dropped. */
  attachmentsDropped: { conversationId: number; threadId: number; fileName: string }[];
  /** A thread's body was stored otherwise than sent. */
  bodiesRewritten: { conversationId: number; threadId: number }[];
  /** A customer created by a write got a primary email other than the one sent. */
  primaryEmailChanged: { customerId: number; sent: string; primary: string }[];
}

export interface EmulatorOptions {
  /** Defaults of every open-question switch below; an explicit option wins. Default `optimistic`. */
  profile?: EmulatorProfile;
  host?: string;
  port?: number;
  clock?: Clock;
  rateLimitPerMinute?: number;
  tokenExpiresInSeconds?: number;
  credentials?: { clientId: string; clientSecret: string }[];
  /** Pre-issued tokens that never expire (for `HELPSCOUT_ACCESS_TOKEN` set-ups). */
  accessTokens?: string[];
  /** Unconfirmed: the 2019 recording shows JSON token requests accepted, a 2026 report says refused. */
  acceptJsonTokenRequests?: boolean;
  /** Unconfirmed whether a standard `Retry-After` comes with a 429 besides `X-RateLimit-Retry-After`. */
  standardRetryAfterHeader?: boolean;
  /** Thread creates send `Resource-ID` since 2023; false reproduces the 2019 recordings (no id header). */
  threadIdHeader?: boolean;
  /**
   * `_links.page` as the 2020 recording shows it (`…{&page}`, `templated: true`); false reproduces the 2019
   * recordings (a plain href). Default true.
   */
  pageLinkTemplated?: boolean;
  /** Unconfirmed: an empty conversation/user/mailbox/thread page has `_embedded` present-but-empty or absent. */
  emptyPageEmbedded?: 'present' | 'absent';
  dataFile?: string;
  seed?: Partial<EmulatorSeed>;
  faults?: FaultOptions;
  /** Lists (`GET /v2/conversations`, search too) show a conversation this long after its creation. */
  searchLagMs?: number;
  tooOldBefore?: string;
  threadPageSize?: number;
  listPageSize?: number;
  maxCreateConversationBytes?: number;
  /** Every other request body (attachments, tags, the token). */
  maxRequestBytes?: number;
  /** The thread endpoints (`chats`, `customer`, `reply`, `notes`, `phones`). */
  maxThreadRequestBytes?: number;
  /** An imported conversation's `modifiedAt` is its newest imported time, not the time of the write. */
  historicModifiedAt?: boolean;
  /** Documented: a reply or note appended without `status` makes the conversation active, imported or not. */
  replyReactivates?: boolean;
  /** Documented: Create Conversation without `assignTo` assigns the inbox default (the token's owner). */
  autoAssign?: boolean;
  /** Bodies read back rewritten: `<br>` → `<br />`, `&quot;` → `"`, `&#39;` → `'`, CRLF → LF, trailing blanks cut. */
  rewriteBodies?: boolean;
  /** A Create Conversation thread's `createdAt` is kept only when the thread itself has `imported: true`. */
  inlineCreatedAtNeedsThreadImported?: boolean;
  /** Attachments inside Create Conversation threads are dropped without a word (201). */
  dropInlineAttachments?: boolean;
  /** A customer created by a write gets the primary email `primary.<sent>`; the sent one becomes secondary. */
  otherPrimaryEmail?: boolean;
  /** Deleted conversations stay readable and listed, with `state: deleted`. */
  listDeleted?: boolean;
  /** Every API call answers 403 (the account's API is disabled); also switchable at run time. */
  accessDenied?: boolean;
  tokenFaults?: TokenFaultOptions;
}

export interface Emulator {
  url: string;
  port: number;
  state(): EmulatorState;
  stats(): EmulatorStats;
  setFaults(f: FaultOptions | undefined): void;
  setTokenFaults(f: TokenFaultOptions | undefined): void;
  /** While true, every API call answers 403 `Access denied`. */
  setAccessDenied(denied: boolean): void;
  audit(): EmulatorAudit;
  merge(fromConversationId: number, intoConversationId: number): void;
  close(): Promise<void>;
}
