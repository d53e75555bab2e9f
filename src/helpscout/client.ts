import type { Logger } from 'pino';
import {
  type AttachmentBody,
  type ConversationRead,
  type ConversationResource,
  type CreateConversationBody,
  type CreateThreadBody,
  type CustomerResource,
  type HalList,
  type MailboxResource,
  type ThreadEndpoint,
  type ThreadResource,
  type UserResource,
  WRITE_COST,
} from '../api/api-types.js';
import type { Clock } from '../util/clock.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { conversationIdOf, firstBytes, parseError, resourceId } from './answers.js';
import { ApiError, InDoubtError } from './errors.js';
import { withAuth } from './layers/auth.js';
import { withBudget } from './layers/budget.js';
import { type Layer, pathOf, stack } from './layers/layer.js';
import { withLog } from './layers/log.js';
import { withRetry } from './layers/retry.js';
import type { RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import type { TokenProvider } from './token.js';
import { type HttpRequest, type HttpResponse, header, type Send } from './transport.js';

export interface ClientStats {
  writes: number;
  reads: number;
  throttled: number;
  retries: number;
  tokenRenewals: number;
  waitingForBudget?: number;
}

export interface ClientDeps {
  send: Send;
  tokens: TokenProvider;
  limiter: RateLimiter;
  clock: Clock;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  /** Requests in flight at once, at most (`--concurrency`); fewer when the budget needs fewer. */
  maxInFlight?: number;
  /** Without a single accepted request for this long (429 after 429), the run stops. Default 15 minutes. */
  throttleTimeoutMs?: number;
  onThrottled?(waitMs: number, path: string): void;
  /** At debug level every request is logged, at trace with masked bodies. */
  log?: Logger;
}

/** What the sender and the read-back need of Help Scout; tests put an in-memory fake in its place. */
export interface HelpScoutApi {
  createConversation(body: CreateConversationBody): Promise<number>;
  createThread(
    conversationId: number,
    endpoint: ThreadEndpoint,
    body: CreateThreadBody,
  ): Promise<number | undefined>;
  getConversation(id: number): Promise<ConversationRead>;
  listThreads(conversationId: number): AsyncIterable<ThreadResource>;
  listConversations(query: Record<string, string | number | undefined>): AsyncIterable<ConversationResource>;
  findUserByEmail(email: string): Promise<number | undefined>;
  /** Every customer that has this address among its emails (the search matches loosely: compared here). */
  findCustomerIds(email: string): Promise<number[]>;
  deleteConversation(id: number): Promise<void>;
  createAttachment(conversationId: number, threadId: number, attachment: AttachmentBody): Promise<void>;
}

/**
 * The Help Scout API as this importer uses it: the resources, over a request function wrapped in layers
 * (retry, then auth, then budget, then the wire), so the sender above stays simple: a create either returns
 * its id, fails with an ApiError, or throws InDoubtError and is resolved by reading back.
 */
export class HelpScoutClient implements HelpScoutApi {
  readonly stats: ClientStats = { writes: 0, reads: 0, throttled: 0, retries: 0, tokenRenewals: 0 };
  readonly inFlight: AdaptiveConcurrency;
  private readonly send: Send;

  constructor(deps: ClientDeps) {
    const { limiter, clock, signal } = deps;
    this.inFlight = new AdaptiveConcurrency(deps.maxInFlight ?? 8, () => limiter.currentLimit / WRITE_COST);
    this.send = stack(
      deps.send,
      withRetry(deps.retry ?? DEFAULT_RETRY_POLICY, clock, this.stats, signal),
      withAuth(deps.tokens, this.stats),
      withBudget({
        limiter,
        inFlight: this.inFlight,
        clock,
        stats: this.stats,
        signal,
        throttleTimeoutMs: deps.throttleTimeoutMs ?? 15 * 60_000,
        onThrottled: deps.onThrottled,
      }),
      ...(deps.log ? [withLog(deps.log, clock)] : ([] as Layer[])),
    );
  }

  async createConversation(body: CreateConversationBody): Promise<number> {
    const res = await this.call({ method: 'POST', path: 'conversations', body: JSON.stringify(body) });
    const id = resourceId(res) ?? conversationIdOf(header(res, 'location'));
    if (id === undefined) {
      const answer = `${res.status} without Resource-ID or Location, body ${firstBytes(res.body)}`;
      throw new InDoubtError('POST', '/v2/conversations', answer);
    }
    return id;
  }

  /** Returns the thread's id when Help Scout sends it (since 2023); older answers carry none. */
  async createThread(
    conversationId: number,
    endpoint: ThreadEndpoint,
    body: CreateThreadBody,
  ): Promise<number | undefined> {
    const res = await this.call({
      method: 'POST',
      path: `conversations/${conversationId}/${endpoint}`,
      body: JSON.stringify(body),
    });
    return resourceId(res);
  }

  /** Adds an attachment to an existing thread (201, no id in the answer). */
  async createAttachment(
    conversationId: number,
    threadId: number,
    attachment: AttachmentBody,
  ): Promise<void> {
    await this.call({
      method: 'POST',
      path: `conversations/${conversationId}/threads/${threadId}/attachments`,
      body: JSON.stringify(attachment),
    });
  }

  async deleteConversation(id: number): Promise<void> {
    await this.call({ method: 'DELETE', path: `conversations/${id}` });
  }

  /** `moved` when the conversation was merged into another (301 + Location). */
  async getConversation(id: number): Promise<ConversationRead> {
    try {
      const res = await this.call({ method: 'GET', path: `conversations/${id}` }, [301]);
      if (res.status === 301) {
        const to = conversationIdOf(header(res, 'location'));
        return to === undefined ? { kind: 'missing' } : { kind: 'moved', to };
      }
      return { kind: 'found', conversation: JSON.parse(res.body) as ConversationResource };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return { kind: 'missing' };
      throw error;
    }
  }

  /** Every thread of a conversation (newest first, as Help Scout lists them), following `_links.next`. */
  listThreads(conversationId: number): AsyncGenerator<ThreadResource> {
    return this.pages<'threads', ThreadResource>(`conversations/${conversationId}/threads`, {}, 'threads');
  }

  listConversations(
    query: Record<string, string | number | undefined>,
  ): AsyncGenerator<ConversationResource> {
    return this.pages<'conversations', ConversationResource>('conversations', query, 'conversations');
  }

  /** The account's mailboxes (what `target.mailboxId` names). */
  listMailboxes(): AsyncGenerator<MailboxResource> {
    return this.pages<'mailboxes', MailboxResource>('mailboxes', {}, 'mailboxes');
  }

  /** The Help Scout user with exactly this email (the API's filter may match loosely), if any. */
  async findUserByEmail(email: string): Promise<number | undefined> {
    for await (const user of this.pages<'users', UserResource>('users', { email }, 'users')) {
      if (user.email?.toLowerCase() === email.toLowerCase() && user.type !== 'team') return user.id;
    }
    return undefined;
  }

  async findCustomerIds(email: string): Promise<number[]> {
    const wanted = email.toLowerCase();
    const ids: number[] = [];
    const query = { query: `(email:"${email.replace(/["\\]/g, '')}")` };
    for await (const customer of this.pages<'customers', CustomerResource>('customers', query, 'customers')) {
      const emails = customer._embedded?.emails ?? [];
      if (emails.some((e) => e.value.toLowerCase() === wanted)) ids.push(customer.id);
    }
    return ids;
  }

  private async *pages<K extends string, T>(
    path: string,
    query: Record<string, string | number | undefined>,
    key: K,
  ): AsyncGenerator<T> {
    let next: HttpRequest | undefined = { method: 'GET', path, query };
    while (next) {
      const res = await this.call(next);
      const page = JSON.parse(res.body) as HalList<K, T>;
      for (const item of page._embedded?.[key] ?? []) yield item;
      const href = page._links?.next?.href;
      const number = page.page?.number;
      const total = page.page?.totalPages;
      next =
        href && !(number !== undefined && total !== undefined && number >= total)
          ? { method: 'GET', path: href }
          : undefined;
    }
  }

  /** One logical request through the layers; an answer it does not accept becomes an ApiError. */
  async call(req: HttpRequest, accept: number[] = []): Promise<HttpResponse> {
    const res = await this.send({
      ...req,
      headers: {
        ...req.headers,
        accept: 'application/json',
        ...(req.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      },
    });
    if (res.status >= 300 && !accept.includes(res.status)) {
      throw new ApiError(req.method, pathOf(req.path), res.status, parseError(res), {
        retryAfter: header(res, 'x-ratelimit-retry-after'),
      });
    }
    return res;
  }
}
