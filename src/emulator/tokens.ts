import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { JSON_UTF8, type Reply } from './http-io.js';
import type { ResolvedOptions } from './options.js';

/** Issued bearer tokens and their expiry (clock ms). Not journaled: after a restart clients re-authenticate. */
export class TokenRegistry {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly opts: ResolvedOptions) {
    for (const t of opts.accessTokens) this.expiries.set(t, Number.POSITIVE_INFINITY);
  }

  issue(): string {
    const token = randomBytes(16).toString('hex');
    this.expiries.set(token, this.opts.clock.now() + this.opts.tokenExpiresInSeconds * 1000);
    return token;
  }

  /** True for `Authorization: Bearer <token>` naming a token that has not expired yet. */
  authorizes(header: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match?.[1]) return false;
    const expiry = this.expiries.get(match[1]);
    return expiry !== undefined && this.opts.clock.now() < expiry;
  }
}

const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  body: `${JSON.stringify({ error, error_description: description })}\n`,
  contentType: JSON_UTF8,
  headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
});

/**
 * `POST /v2/oauth2/token`, client-credentials grant. Credentials come form-urlencoded, as JSON (the 2019
 * recording; refusable by option), or as HTTP Basic client authentication. Free of the rate limit.
 */
export function handleTokenRequest(
  headers: IncomingHttpHeaders,
  body: Buffer,
  opts: ResolvedOptions,
  registry: TokenRegistry,
): Reply {
  const contentType = (headers['content-type'] ?? '').toLowerCase();
  let fields: Record<string, unknown>;
  if (contentType.startsWith('application/json')) {
    if (!opts.acceptJsonTokenRequests) {
      return oauthError(400, 'invalid_request', 'Send the token request form-urlencoded');
    }
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return oauthError(400, 'invalid_request', 'Malformed JSON');
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }
  const basic = readBasicAuth(headers.authorization);
  const clientId = basic?.id ?? fields.client_id;
  const clientSecret = basic?.secret ?? fields.client_secret;
  if (fields.grant_type === undefined) return oauthError(400, 'invalid_request', 'Missing grant_type');
  if (fields.grant_type !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
  }
  const known = opts.credentials.some((c) => c.clientId === clientId && c.clientSecret === clientSecret);
  if (!known) return oauthError(401, 'invalid_client', 'Bad client credentials');
  const token = {
    token_type: 'bearer',
    access_token: registry.issue(),
    expires_in: opts.tokenExpiresInSeconds,
  };
  return {
    status: 200,
    // The recording ends the token body with a newline.
    body: `${JSON.stringify(token)}\n`,
    contentType: JSON_UTF8,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  };
}

function readBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}
