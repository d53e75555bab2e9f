import {
  type AttachmentBody,
  type ConversationResource,
  type CreateConversationBody,
  type CreateThreadBody,
  type HalList,
  rateLimitCost,
  type ThreadEndpoint,
  type ThreadResource,
  type UserResource,
  type VndError,
} from '../api/api-types.js';
import type { Clock } from '../util/clock.js';
import { FatalError, StoppedError } from '../util/errors.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ApiError, InDoubtError, NotSentError } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, sleepBackoff } from './retry-policy.js';
import type { TokenProvider } from './token.js';
import { type HttpRequest, type HttpResponse, header, type Send } from './transport.js';

export interface ClientStats {
  writes: number;
  reads: number;
  throttled: number;
  retries: number;
  tokenRenewals: number;
}

/** How a request may be repeated when its answer is lost: reads always, creates never (no idempotency key). */
type Repeat = 'safe' | 'create';

export interface ClientDeps {
  send: Send;
  tokens: TokenProvider;
  limiter: RateLimiter;
  clock: Clock;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  /** Requests in flight at once, at most (`--concurrency`); fewer when the budget needs fewer. */
  maxInFlight?: number;
}

/** What the sender and the read-back need of Help Scout; tests put an in-memory fake in its place. */
export interface HelpScoutApi {
  createConversation(body: CreateConversationBody): Promise<number>;
  createThread(
    conversationId: number,
    endpoint: ThreadEndpoint,
    body: CreateThreadBody,
  ): Promise<number | undefined>;
  getConversation(
    id: number,
  ): Promise<
    | { kind: 'found'; conversation: ConversationResource }
    | { kind: 'moved'; to: number }
    | { kind: 'missing' }
  >;
  listThreads(conversationId: number): AsyncIterable<ThreadResource>;
  listConversations(query: Record<string, string | number | undefined>): AsyncIterable<ConversationResource>;
  findUserByEmail(email: string): Promise<number | undefined>;
  deleteConversation(id: number): Promise<void>;
  createAttachment(conversationId: number, threadId: number, attachment: AttachmentBody): Promise<void>;
}

/**
 * The Help Scout API as this importer uses it. Rate limiting, token renewal and retries wrap every call here,
 * so the sender above stays simple: a create either returns its id, fails with an ApiError, or throws
 * InDoubtError and is resolved by reading back.
 */
export class HelpScoutClient implements HelpScoutApi {
  readonly stats: ClientStats = { writes: 0, reads: 0, throttled: 0, retries: 0, tokenRenewals: 0 };
  private readonly retry: RetryPolicy;
  readonly inFlight: AdaptiveConcurrency;

  constructor(private readonly deps: ClientDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY_POLICY;
    this.inFlight = new AdaptiveConcurrency(deps.maxInFlight ?? 8, () => deps.limiter.currentLimit / 2);
  }

  async createConversation(body: CreateConversationBody): Promise<number> {
    const res = await this.call(
      { method: 'POST', path: 'conversations', body: JSON.stringify(body) },
      'create',
    );
    const id = resourceId(res);
    if (id === undefined)
      throw new InDoubtError('POST', '/v2/conversations', '201 without Resource-ID or Location');
    return id;
  }

  /** Returns the thread's id when Help Scout sends it (since 2023); older answers carry none. */
  async createThread(
    conversationId: number,
    endpoint: ThreadEndpoint,
    body: CreateThreadBody,
  ): Promise<number | undefined> {
    const res = await this.call(
      { method: 'POST', path: `conversations/${conversationId}/${endpoint}`, body: JSON.stringify(body) },
      'create',
    );
    return resourceId(res);
  }

  /** Adds an attachment to an existing thread (201, no id in the answer). */
  async createAttachment(
    conversationId: number,
    threadId: number,
    attachment: AttachmentBody,
  ): Promise<void> {
    await this.call(
      {
        method: 'POST',
        path: `conversations/${conversationId}/threads/${threadId}/attachments`,
        body: JSON.stringify(attachment),
      },
      'create',
    );
  }

  async deleteConversation(id: number): Promise<void> {
    await this.call({ method: 'DELETE', path: `conversations/${id}` }, 'safe');
  }

  /** `moved` when the conversation was merged into another (301 + Location). */
  async getConversation(
    id: number,
  ): Promise<
    | { kind: 'found'; conversation: ConversationResource }
    | { kind: 'moved'; to: number }
    | { kind: 'missing' }
  > {
    try {
      const res = await this.call({ method: 'GET', path: `conversations/${id}` }, 'safe', [301]);
      if (res.status === 301) {
        const to = idFromLocation(header(res, 'location'));
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

  /** The Help Scout user with exactly this email (the API's filter may match loosely), if any. */
  async findUserByEmail(email: string): Promise<number | undefined> {
    for await (const user of this.pages<'users', UserResource>('users', { email }, 'users')) {
      if (user.email?.toLowerCase() === email.toLowerCase() && user.type !== 'team') return user.id;
    }
    return undefined;
  }

  private async *pages<K extends string, T>(
    path: string,
    query: Record<string, string | number | undefined>,
    key: K,
  ): AsyncGenerator<T> {
    let next: HttpRequest | undefined = { method: 'GET', path, query };
    while (next) {
      const res = await this.call(next, 'safe');
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

  /** One logical request: waits for budget, authenticates, and repeats it as far as that is provably safe. */
  async call(req: HttpRequest, repeat: Repeat, accept: number[] = []): Promise<HttpResponse> {
    const { tokens, limiter, signal } = this.deps;
    const cost = rateLimitCost(req.method);
    let renewed = false;
    let attempt = 0;
    // Each pass of this loop starts with nothing in doubt (a lost create throws instead of looping), so a stop
    // noticed here means the request was not sent.
    const stopped = () => new StoppedError(`${req.method} ${pathOf(req)}`);
    for (;;) {
      if (signal?.aborted) throw stopped();
      const token = await tokens.get();
      try {
        await limiter.acquire(cost, signal);
      } catch (error) {
        throw signal?.aborted ? stopped() : error;
      }
      if (cost === 2) this.stats.writes += 1;
      else this.stats.reads += 1;
      const outcome = await this.sendOnce(req, token);
      if ('error' in outcome) {
        const provablyUnsent = outcome.error instanceof NotSentError;
        if ((provablyUnsent || repeat === 'safe') && attempt < this.retry.retries) {
          await this.backoff(attempt++).catch((error) => {
            throw signal?.aborted ? stopped() : error;
          });
          continue;
        }
        throw outcome.error;
      }
      const res = outcome.res;
      limiter.observe(header(res, 'x-ratelimit-limit-minute'), header(res, 'x-ratelimit-remaining-minute'));
      if (res.status === 429) {
        // Nothing was done: wait as told and send again, without using up a retry.
        this.stats.throttled += 1;
        limiter.pause(retryAfterMs(res));
        continue;
      }
      if (res.status === 401) {
        if (!renewed && tokens.invalidate(token)) {
          renewed = true;
          this.stats.tokenRenewals += 1;
          continue;
        }
        throw new FatalError(
          'BAD_CREDENTIALS',
          `Help Scout refused the access token (${req.method} ${pathOf(req)} answered 401).`,
        );
      }
      if (res.status >= 500) {
        if (repeat === 'create') throw new InDoubtError(req.method, pathOf(req), `status ${res.status}`);
        if (attempt < this.retry.retries) {
          await this.backoff(attempt++).catch((error) => {
            throw signal?.aborted ? stopped() : error;
          });
          continue;
        }
      }
      if (res.status >= 300 && !accept.includes(res.status)) {
        throw new ApiError(req.method, pathOf(req), res.status, parseError(res), {
          retryAfter: header(res, 'x-ratelimit-retry-after'),
        });
      }
      return res;
    }
  }

  /** One attempt on the wire, holding an in-flight slot only while the request is out. */
  private async sendOnce(
    req: HttpRequest,
    token: string,
  ): Promise<{ res: HttpResponse } | { error: unknown }> {
    await this.inFlight.acquire();
    const sentAt = this.deps.clock.now();
    try {
      const res = await this.deps.send({
        ...req,
        headers: {
          ...req.headers,
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(req.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        },
      });
      this.inFlight.release(this.deps.clock.now() - sentAt);
      return { res };
    } catch (error) {
      this.inFlight.release();
      return { error };
    }
  }

  private async backoff(attempt: number): Promise<void> {
    this.stats.retries += 1;
    await sleepBackoff(this.deps.clock, this.retry, attempt, this.deps.signal);
  }
}

function retryAfterMs(res: HttpResponse): number {
  const seconds = Number(header(res, 'x-ratelimit-retry-after') ?? header(res, 'retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 60_000;
}

function resourceId(res: HttpResponse): number | undefined {
  const raw = header(res, 'resource-id');
  if (raw !== undefined && /^\d+$/.test(raw)) return Number(raw);
  return idFromLocation(header(res, 'location'));
}

function idFromLocation(location: string | undefined): number | undefined {
  const match = location?.match(/\/conversations\/(\d+)\/?$/);
  return match ? Number(match[1]) : undefined;
}

function parseError(res: HttpResponse): VndError | undefined {
  try {
    return JSON.parse(res.body) as VndError;
  } catch {
    return undefined;
  }
}

function pathOf(req: HttpRequest): string {
  try {
    return new URL(req.path, 'http://x/v2/').pathname;
  } catch {
    return req.path;
  }
}
