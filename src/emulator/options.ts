import { API_DATE_PATTERN, API_LIMITS } from '../api/api-types.js';
import { type Clock, systemClock } from '../util/clock.js';
import { DEFAULT_SEED } from './seed.js';
import type {
  EmulatorOptions,
  EmulatorProfile,
  EmulatorSeed,
  FaultOptions,
  TokenFaultOptions,
} from './types.js';

/** The switches a profile sets; every one can also be given on its own. */
type ProfileSwitches = Required<
  Pick<
    EmulatorOptions,
    | 'searchLagMs'
    | 'historicModifiedAt'
    | 'replyReactivates'
    | 'autoAssign'
    | 'rewriteBodies'
    | 'inlineCreatedAtNeedsThreadImported'
    | 'dropInlineAttachments'
    | 'maxRequestBytes'
    | 'maxThreadRequestBytes'
    | 'maxCreateConversationBytes'
    | 'threadIdHeader'
    | 'otherPrimaryEmail'
    | 'listDeleted'
  >
> & { tokenFaults: TokenFaultOptions | undefined };

/**
 * The answers to helpscout-api.md's open questions. Documented behaviour (replies reactivate, an omitted
 * `assignTo` assigns) is on in both.
 */
export const PROFILES: Record<EmulatorProfile, ProfileSwitches> = {
  optimistic: {
    searchLagMs: 0,
    historicModifiedAt: false,
    replyReactivates: true,
    autoAssign: true,
    rewriteBodies: false,
    inlineCreatedAtNeedsThreadImported: false,
    dropInlineAttachments: false,
    maxRequestBytes: API_LIMITS.requestBytes,
    maxThreadRequestBytes: API_LIMITS.requestBytes,
    maxCreateConversationBytes: API_LIMITS.createConversationBytes,
    threadIdHeader: true,
    otherPrimaryEmail: false,
    listDeleted: false,
    tokenFaults: undefined,
  },
  pessimistic: {
    searchLagMs: 75_000,
    historicModifiedAt: true,
    replyReactivates: true,
    autoAssign: true,
    rewriteBodies: true,
    inlineCreatedAtNeedsThreadImported: true,
    dropInlineAttachments: true,
    maxRequestBytes: API_LIMITS.requestBytes,
    // The old 100 KB default on the thread endpoints; attachments keep their own 10 MB.
    maxThreadRequestBytes: 102_400,
    maxCreateConversationBytes: 256_000,
    threadIdHeader: false,
    otherPrimaryEmail: true,
    listDeleted: true,
    // A scripted 429 and 503 on the first two token requests, then 10% of each; stalls only on request.
    tokenFaults: { seed: 1, script: ['429', '503'], rateLimited: 0.1, serverError: 0.1 },
  },
};

/** Every option with its default applied: the one place where the emulator's defaults live. */
export interface ResolvedOptions extends ProfileSwitches {
  profile: EmulatorProfile;
  host: string;
  port: number;
  clock: Clock;
  rateLimitPerMinute: number;
  tokenExpiresInSeconds: number;
  credentials: { clientId: string; clientSecret: string }[];
  accessTokens: string[];
  acceptJsonTokenRequests: boolean;
  standardRetryAfterHeader: boolean;
  pageLinkTemplated: boolean;
  emptyPageEmbedded: 'present' | 'absent';
  dataFile: string | undefined;
  seed: EmulatorSeed;
  faults: FaultOptions | undefined;
  tooOldBefore: string | undefined;
  threadPageSize: number;
  listPageSize: number;
  accessDenied: boolean;
}

const TOKEN_OUTCOMES = ['ok', '429', '500', '503', 'stall'];

/** Token faults must say what they mean: known outcomes, rates between 0 and 1. */
function checkTokenFaults(f: TokenFaultOptions | undefined): TokenFaultOptions | undefined {
  if (f === undefined) return undefined;
  if (typeof f !== 'object' || f === null) throw new TypeError('tokenFaults must be an object');
  if (f.script !== undefined && !Array.isArray(f.script))
    throw new TypeError('tokenFaults.script must be a list');
  f.script?.forEach((o, i) => {
    if (!TOKEN_OUTCOMES.includes(o)) {
      throw new TypeError(`tokenFaults.script[${i}] must be one of ${TOKEN_OUTCOMES.join(', ')}, got ${o}`);
    }
  });
  for (const key of ['rateLimited', 'serverError', 'stall'] as const) {
    const v = f[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) {
      throw new TypeError(`tokenFaults.${key} must be a number from 0 to 1, got ${v}`);
    }
  }
  return f;
}

export function resolveOptions(opts: EmulatorOptions = {}): ResolvedOptions {
  const profile = opts.profile ?? 'optimistic';
  const d = PROFILES[profile];
  if (!d) throw new TypeError(`profile must be optimistic or pessimistic, got ${profile}`);
  if (opts.tooOldBefore !== undefined && !API_DATE_PATTERN.test(opts.tooOldBefore)) {
    throw new TypeError(`tooOldBefore must be yyyy-MM-ddTHH:mm:ssZ, got ${opts.tooOldBefore}`);
  }
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v <= 0) throw new TypeError(`${name} must be a positive number, got ${v}`);
    return v;
  };
  const lag = opts.searchLagMs ?? d.searchLagMs;
  if (!Number.isFinite(lag) || lag < 0) throw new TypeError(`searchLagMs must be 0 or more, got ${lag}`);
  return {
    profile,
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    clock: opts.clock ?? systemClock,
    rateLimitPerMinute: positive('rateLimitPerMinute', opts.rateLimitPerMinute, 400),
    tokenExpiresInSeconds: positive('tokenExpiresInSeconds', opts.tokenExpiresInSeconds, 172800),
    credentials: opts.credentials ?? [{ clientId: 'demo-app-id', clientSecret: 'demo-app-secret' }],
    accessTokens: opts.accessTokens ?? [],
    acceptJsonTokenRequests: opts.acceptJsonTokenRequests ?? true,
    standardRetryAfterHeader: opts.standardRetryAfterHeader ?? false,
    threadIdHeader: opts.threadIdHeader ?? d.threadIdHeader,
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
    searchLagMs: lag,
    tooOldBefore: opts.tooOldBefore,
    threadPageSize: positive('threadPageSize', opts.threadPageSize, 25),
    listPageSize: positive('listPageSize', opts.listPageSize, 50),
    maxCreateConversationBytes: positive(
      'maxCreateConversationBytes',
      opts.maxCreateConversationBytes,
      d.maxCreateConversationBytes,
    ),
    maxRequestBytes: positive('maxRequestBytes', opts.maxRequestBytes, d.maxRequestBytes),
    maxThreadRequestBytes: positive(
      'maxThreadRequestBytes',
      opts.maxThreadRequestBytes,
      d.maxThreadRequestBytes,
    ),
    historicModifiedAt: opts.historicModifiedAt ?? d.historicModifiedAt,
    replyReactivates: opts.replyReactivates ?? d.replyReactivates,
    autoAssign: opts.autoAssign ?? d.autoAssign,
    rewriteBodies: opts.rewriteBodies ?? d.rewriteBodies,
    inlineCreatedAtNeedsThreadImported:
      opts.inlineCreatedAtNeedsThreadImported ?? d.inlineCreatedAtNeedsThreadImported,
    dropInlineAttachments: opts.dropInlineAttachments ?? d.dropInlineAttachments,
    otherPrimaryEmail: opts.otherPrimaryEmail ?? d.otherPrimaryEmail,
    listDeleted: opts.listDeleted ?? d.listDeleted,
    accessDenied: opts.accessDenied ?? false,
    tokenFaults: checkTokenFaults(opts.tokenFaults ?? d.tokenFaults),
  };
}
