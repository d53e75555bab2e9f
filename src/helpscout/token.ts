import type { Clock } from '../util/clock.js';
import { FatalError } from '../util/errors.js';
import type { Send } from './transport.js';

export type Credentials =
  | { kind: 'client'; appId: string; appSecret: string }
  | { kind: 'token'; accessToken: string };

/** Renew this long before `expires_in` runs out, so no request leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Holds the bearer token. Client credentials are exchanged at `<api>/oauth2/token` (form-encoded: accepted
 * everywhere) and renewed before expiry or after any 401. A given access token can't be renewed.
 */
export class TokenProvider {
  private token: string | undefined;
  private expiresAt = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly send: Send,
    private readonly credentials: Credentials,
    private readonly clock: Clock,
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
    });
    const res = await this.send({
      method: 'POST',
      path: 'oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    if (res.status === 401 || res.status === 400 || res.status === 403) {
      throw new FatalError(
        'BAD_CREDENTIALS',
        `Help Scout refused the App ID/Secret (token endpoint answered ${res.status}).`,
        {
          status: res.status,
        },
      );
    }
    if (res.status !== 200) {
      throw new FatalError('TOKEN_FAILED', `The token endpoint answered ${res.status}.`, {
        status: res.status,
      });
    }
    const body = JSON.parse(res.body) as { access_token?: string; expires_in?: number };
    if (!body.access_token)
      throw new FatalError('TOKEN_FAILED', 'The token endpoint answered without an access_token.');
    this.token = body.access_token;
    this.expiresAt = this.clock.now() + (body.expires_in ?? 7200) * 1000;
    return this.token;
  }
}
