import type { Clock } from '../util/clock.js';
import { FatalError, HsImportError } from '../util/errors.js';
import { firstBytes } from './answers.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retrying } from './retry-policy.js';
import type { HttpResponse, Send } from './transport.js';

export type Credentials =
  | { kind: 'client'; appId: string; appSecret: string }
  | { kind: 'token'; accessToken: string };

/** Renew this long before `expires_in` runs out, so no request leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

/** A token request that may go again: it creates nothing, so any failure short of a refusal is retried. */
class TokenAttemptError extends HsImportError {
  constructor(message: string) {
    super('TOKEN_ATTEMPT', message);
  }
}

/**
 * Holds the bearer token. Client credentials are exchanged at `<api>/oauth2/token` (form-encoded: accepted
 * everywhere) and renewed before expiry or after any 401. A given access token can't be renewed. The token
 * endpoint may fail for a moment (429, 5xx, no answer, a proxy's page): it is asked again with backoff, a
 * bounded number of times, then the run stops with what it answered. Its failures are never "in doubt": the
 * request that waits for the token has not left.
 */
export class TokenProvider {
  private token: string | undefined;
  private expiresAt = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly send: Send,
    private readonly credentials: Credentials,
    private readonly clock: Clock,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly signal?: AbortSignal,
  ) {}

  async get(): Promise<string> {
    if (this.credentials.kind === 'token') return this.credentials.accessToken;
    if (this.token && this.clock.now() < this.expiresAt - EXPIRY_MARGIN_MS) return this.token;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** After a 401: forget the token so the next `get` asks for a new one. False when it can't be renewed. */
  invalidate(rejected: string): boolean {
    if (this.credentials.kind === 'token') return false;
    if (this.token === rejected) this.token = undefined;
    return true;
  }

  private async fetch(): Promise<string> {
    if (this.credentials.kind !== 'client') throw new Error('unreachable');
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.credentials.appId,
      client_secret: this.credentials.appSecret,
    }).toString();
    try {
      return await retrying(() => this.attempt(form), {
        policy: this.retry,
        clock: this.clock,
        signal: this.signal,
        shouldRetry: (error) => !(error instanceof FatalError),
      });
    } catch (error) {
      if (error instanceof FatalError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new FatalError(
        'TOKEN_FAILED',
        `Could not get an access token from Help Scout after ${this.retry.retries + 1} attempts: ${why}`,
      );
    }
  }

  private async attempt(form: string): Promise<string> {
    const res = await this.send({
      method: 'POST',
      path: 'oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
    });
    if (res.status === 401 || res.status === 400 || res.status === 403) {
      throw new FatalError(
        'BAD_CREDENTIALS',
        `Help Scout refused the App ID/Secret (token endpoint answered ${res.status}).`,
        { status: res.status },
      );
    }
    const token = res.status === 200 ? tokenOf(res) : undefined;
    if (!token) {
      throw new TokenAttemptError(
        `the token endpoint (POST …/oauth2/token) answered ${res.status}, body ${firstBytes(res.body)}`,
      );
    }
    this.token = token.accessToken;
    this.expiresAt = this.clock.now() + token.expiresInSeconds * 1000;
    return this.token;
  }
}

function tokenOf(res: HttpResponse): { accessToken: string; expiresInSeconds: number } | undefined {
  try {
    const body = JSON.parse(res.body) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') return undefined;
    const expires = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 7200;
    return { accessToken: body.access_token, expiresInSeconds: expires };
  } catch {
    return undefined;
  }
}
