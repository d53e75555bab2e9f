import { API_DATE_PATTERN, API_LIMITS } from '../api/api-types.js';
import { type Clock, systemClock } from '../util/clock.js';
import { DEFAULT_SEED } from './seed.js';
import type { EmulatorOptions, EmulatorSeed, FaultOptions } from './types.js';

/** Every option with its default applied: the one place where the emulator's defaults live. */
export interface ResolvedOptions {
  host: string;
  port: number;
  clock: Clock;
  rateLimitPerMinute: number;
  tokenExpiresInSeconds: number;
  credentials: { clientId: string; clientSecret: string }[];
  accessTokens: string[];
  acceptJsonTokenRequests: boolean;
  standardRetryAfterHeader: boolean;
  threadIdHeader: boolean;
  pageLinkTemplated: boolean;
  emptyPageEmbedded: 'present' | 'absent';
  dataFile: string | undefined;
  seed: EmulatorSeed;
  faults: FaultOptions | undefined;
  searchLagMs: number;
  tooOldBefore: string | undefined;
  threadPageSize: number;
  listPageSize: number;
  maxCreateConversationBytes: number;
  maxRequestBytes: number;
}

export function resolveOptions(opts: EmulatorOptions = {}): ResolvedOptions {
  if (opts.tooOldBefore !== undefined && !API_DATE_PATTERN.test(opts.tooOldBefore)) {
    throw new TypeError(`tooOldBefore must be yyyy-MM-ddTHH:mm:ssZ, got ${opts.tooOldBefore}`);
  }
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v <= 0) throw new TypeError(`${name} must be a positive number, got ${v}`);
    return v;
  };
  return {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    clock: opts.clock ?? systemClock,
    rateLimitPerMinute: positive('rateLimitPerMinute', opts.rateLimitPerMinute, 400),
    tokenExpiresInSeconds: positive('tokenExpiresInSeconds', opts.tokenExpiresInSeconds, 172800),
    credentials: opts.credentials ?? [{ clientId: 'demo-app-id', clientSecret: 'demo-app-secret' }],
    accessTokens: opts.accessTokens ?? [],
    acceptJsonTokenRequests: opts.acceptJsonTokenRequests ?? true,
    standardRetryAfterHeader: opts.standardRetryAfterHeader ?? false,
    threadIdHeader: opts.threadIdHeader ?? true,
    pageLinkTemplated: opts.pageLinkTemplated ?? true,
    emptyPageEmbedded: opts.emptyPageEmbedded ?? 'present',
    dataFile: opts.dataFile,
    seed: {
      mailboxes: opts.seed?.mailboxes ?? DEFAULT_SEED.mailboxes,
      users: opts.seed?.users ?? DEFAULT_SEED.users,
      customers: opts.seed?.customers ?? DEFAULT_SEED.customers,
      conversations: opts.seed?.conversations ?? [],
      tags: opts.seed?.tags ?? [],
    },
    faults: opts.faults,
    searchLagMs: opts.searchLagMs ?? 0,
    tooOldBefore: opts.tooOldBefore,
    threadPageSize: positive('threadPageSize', opts.threadPageSize, 25),
    listPageSize: positive('listPageSize', opts.listPageSize, 50),
    maxCreateConversationBytes: positive(
      'maxCreateConversationBytes',
      opts.maxCreateConversationBytes,
      API_LIMITS.createConversationBytes,
    ),
    maxRequestBytes: positive('maxRequestBytes', opts.maxRequestBytes, API_LIMITS.requestBytes),
  };
}
