import type {
  AttachmentBody,
  ConversationResource,
  CreateConversationBody,
  CreateThreadBody,
  CustomerRef,
  ThreadEndpoint,
  ThreadResource,
} from '../../src/api/api-types.js';
import { STORED_TYPE_OF_ENDPOINT, STORED_TYPE_OF_INLINE } from '../../src/api/thread-types.js';
import type { HelpScoutApi } from '../../src/helpscout/client.js';
import { ApiError, InDoubtError } from '../../src/helpscout/errors.js';

/** Thrown by the fake to stand for the importer's process dying at that instant. */
export class Crash extends Error {
  constructor(where: string) {
    super(`crash ${where}`);
  }
}

export type Fault =
  | 'crash-before-send'
  | 'crash-after-commit'
  | 'lost-after-commit'
  | 'server-error-before-commit';

interface FakeThread {
  id: number;
  type: string;
  body: string;
  createdAt: string;
  attachments: { fileName: string; data: string }[];
}

interface FakeConversation {
  id: number;
  subject: string;
  createdAt: string;
  customer: CustomerRef;
  tags: string[];
  status: string;
  modifiedAt: string;
  threads: FakeThread[];
  mergedInto?: number;
}

interface FakeUser {
  id: number;
  email: string;
  type?: 'user' | 'team' | undefined;
}

/**
 * An in-memory Help Scout with the rules the sender depends on (thread caps, merged conversations) and a
 * hook that injects a fault at the n-th write: the process dying before or after the server committed,
 * or the answer being lost.
 */
export class FakeHelpScout implements HelpScoutApi {
  readonly conversations = new Map<number, FakeConversation>();
  private nextId = 1000;
  writes = 0;
  faults = new Map<number, Fault>();
  now = '2026-01-01T00:00:00Z';
  /** The "too old" lock: every append answers 412. */
  lockAppends = false;
  /** A thread whose text holds this is refused with a 400 naming its `text` (nothing is done). */
  refuseText: string | undefined;
  /** Body sizes beyond which Create Conversation and the thread endpoints answer 413 (having done nothing). */
  maxCreateBytes = Number.POSITIVE_INFINITY;
  maxThreadBytes = Number.POSITIVE_INFINITY;

  /** The account's users and teams, as the emulator's seed has them (none unless given). */
  private readonly users: readonly FakeUser[];

  constructor(options: { users?: readonly FakeUser[] } = {}) {
    this.users = options.users ?? [];
  }

  /** Called before each write with its number: lets a test change the world mid-run. */
  beforeWrite: (n: number) => void = () => {};

  private inject(point: 'before' | 'after'): void {
    if (point === 'before') this.beforeWrite(this.writes);
    const fault = this.faults.get(this.writes);
    if (point === 'before') {
      if (fault === 'crash-before-send') throw new Crash(`before write ${this.writes}`);
      if (fault === 'server-error-before-commit') throw new InDoubtError('POST', '/v2/x', 'status 503');
    } else {
      if (fault === 'crash-after-commit') throw new Crash(`after write ${this.writes}`);
      if (fault === 'lost-after-commit') throw new InDoubtError('POST', '/v2/x', 'socket closed');
    }
  }

  private refuse(path: string, texts: [string, string][]): void {
    const marker = this.refuseText;
    const errors = texts
      .filter(([, text]) => marker && text.includes(marker))
      .map(([p]) => ({ path: p, message: 'refused' }));
    if (errors.length > 0)
      throw new ApiError('POST', path, 400, { message: 'Bad request', _embedded: { errors } });
  }

  async createConversation(body: CreateConversationBody): Promise<number> {
    this.writes += 1;
    this.inject('before');
    if (body.threads.length < 1 || body.threads.length > 100)
      throw new ApiError('POST', '/v2/conversations', 412, undefined);
    if (Buffer.byteLength(JSON.stringify(body)) > this.maxCreateBytes)
      throw new ApiError('POST', '/v2/conversations', 413, { message: 'Request Entity Too Large' });
    this.refuse(
      '/v2/conversations',
      body.threads.map((t, i) => [`threads[${i}].text`, t.text]),
    );
    const id = this.nextId++;
    this.conversations.set(id, {
      id,
      subject: body.subject,
      createdAt: body.createdAt ?? this.now,
      customer: body.customer,
      tags: body.tags ?? [],
      status: body.status,
      modifiedAt: this.now,
      threads: body.threads.map((t) => ({
        id: this.nextId++,
        type: STORED_TYPE_OF_INLINE[t.type],
        body: t.text,
        createdAt: t.createdAt ?? this.now,
        attachments: (t.attachments ?? []).map((a) => ({ fileName: a.fileName, data: a.data })),
      })),
    });
    this.inject('after');
    return id;
  }

  async createThread(
    conversationId: number,
    endpoint: ThreadEndpoint,
    body: CreateThreadBody,
  ): Promise<number | undefined> {
    this.writes += 1;
    this.inject('before');
    const c = this.conversations.get(conversationId);
    if (!c || c.mergedInto)
      throw new ApiError('POST', `/v2/conversations/${conversationId}/${endpoint}`, 404, undefined);
    if (c.threads.length >= 99 || this.lockAppends)
      throw new ApiError('POST', `/v2/conversations/${conversationId}/${endpoint}`, 412, undefined);
    if (Buffer.byteLength(JSON.stringify(body)) > this.maxThreadBytes)
      throw new ApiError('POST', `/v2/conversations/${conversationId}/${endpoint}`, 413, {
        message: 'Request Entity Too Large',
      });
    this.refuse(`/v2/conversations/${conversationId}/${endpoint}`, [['text', body.text]]);
    const id = this.nextId++;
    c.threads.push({
      id,
      type: STORED_TYPE_OF_ENDPOINT[endpoint],
      body: body.text,
      createdAt: body.createdAt ?? this.now,
      attachments: (body.attachments ?? []).map((a) => ({ fileName: a.fileName, data: a.data })),
    });
    c.modifiedAt = this.now;
    this.inject('after');
    return id;
  }

  async createAttachment(
    conversationId: number,
    threadId: number,
    attachment: AttachmentBody,
  ): Promise<void> {
    this.writes += 1;
    this.inject('before');
    const thread = this.conversations.get(conversationId)?.threads.find((t) => t.id === threadId);
    if (!thread)
      throw new ApiError(
        'POST',
        `/v2/conversations/${conversationId}/threads/${threadId}/attachments`,
        404,
        undefined,
      );
    thread.attachments.push({ fileName: attachment.fileName, data: attachment.data });
    this.inject('after');
  }

  async getConversation(id: number) {
    const c = this.conversations.get(id);
    if (!c) return { kind: 'missing' as const };
    if (c.mergedInto) return { kind: 'moved' as const, to: c.mergedInto };
    return { kind: 'found' as const, conversation: this.resource(c) };
  }

  /** Newest createdAt first (the latest id first among equals), as Help Scout lists them. */
  async *listThreads(conversationId: number): AsyncGenerator<ThreadResource> {
    const c = this.conversations.get(conversationId);
    const newestFirst = [...(c?.threads ?? [])].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id,
    );
    for (const t of newestFirst) {
      yield {
        id: t.id,
        type: t.type,
        body: t.body,
        createdAt: t.createdAt,
        _embedded: {
          attachments: t.attachments.map((a, i) => ({
            id: i + 1,
            filename: a.fileName,
            mimeType: 'x',
            size: Buffer.from(a.data, 'base64').length,
          })),
        },
      };
    }
  }

  /** Active ones unless `status` says otherwise, never merged ones, by createdAt (newest first by default). */
  async *listConversations(
    query: Record<string, string | number | undefined>,
  ): AsyncGenerator<ConversationResource> {
    const status = String(query.status ?? 'active');
    const tags = query.tag ? String(query.tag).split(',') : undefined;
    const found = [...this.conversations.values()].filter(
      (c) =>
        c.mergedInto === undefined &&
        (status === 'all' || c.status === status) &&
        (!tags || tags.some((t) => c.tags.includes(t))),
    );
    const direction = query.sortOrder === 'asc' ? 1 : -1;
    found.sort((a, b) => direction * (a.createdAt.localeCompare(b.createdAt) || a.id - b.id));
    for (const c of found) yield this.resource(c);
  }

  /** The user (never a team) with exactly this address, in any case. */
  async findUserByEmail(email: string): Promise<number | undefined> {
    const wanted = email.toLowerCase();
    return this.users.find((u) => u.type !== 'team' && u.email.toLowerCase() === wanted && wanted !== '')?.id;
  }

  /** Customers are known by the address they were created with, under the id the lists show. */
  async findCustomerIds(email: string): Promise<number[]> {
    const wanted = email.toLowerCase();
    const found = [...this.conversations.values()].filter((c) => c.customer.email?.toLowerCase() === wanted);
    return found.length > 0 ? [found[0]?.customer.id ?? 7] : [];
  }

  async deleteConversation(id: number): Promise<void> {
    if (!this.conversations.delete(id))
      throw new ApiError('DELETE', `/v2/conversations/${id}`, 404, undefined);
  }

  merge(from: number, into: number): void {
    const c = this.conversations.get(from);
    const target = this.conversations.get(into);
    if (!c || !target) throw new Error('no such conversation');
    target.threads.push(...c.threads);
    c.threads = [];
    c.mergedInto = into;
  }

  private resource(c: FakeConversation): ConversationResource {
    return {
      id: c.id,
      subject: c.subject,
      status: c.status,
      mailboxId: 1,
      createdAt: c.createdAt,
      threads: c.threads.length,
      tags: c.tags.map((tag, i) => ({ id: i + 1, tag })),
      primaryCustomer: { id: c.customer.id ?? 7, ...(c.customer.email ? { email: c.customer.email } : {}) },
    };
  }
}
