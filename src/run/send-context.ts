import type { Logger } from 'pino';
import type { TargetConfig } from '../config/schema.js';
import type { HelpScoutApi } from '../helpscout/client.js';
import type { RetryPolicy } from '../helpscout/retry-policy.js';
import type { Strategy } from '../plan/split.js';
import type { Parts, PartThread } from '../state/parts.js';
import type { WriteLog } from '../state/write-log.js';
import type { Clock } from '../util/clock.js';
import { type ThreadShape, threadShape, type UnknownAgents } from './payload.js';
import type { SearchPolicy } from './reconcile.js';
import type { RunStats } from './stats.js';
import type { FileSource } from './thread-files.js';

/** Everything the sender needs, passed down explicitly: no module state. */
export interface SendContext {
  client: HelpScoutApi;
  /** The write log: every write's intent and outcome. */
  writes: WriteLog;
  /** The parts and threads, changed only as the effects of outcomes in the log. */
  parts: Parts;
  clock: Clock;
  log: Logger;
  stats: RunStats;
  target: TargetConfig & { mailboxId: number };
  /** The Help Scout user imported conversations are assigned to; null: unassigned. */
  assignTo: number | null;
  strategy: Strategy;
  search: SearchPolicy;
  /** A create in doubt that is not found is sent again only this long after its intent (lists lag). */
  resendAfterMs: number;
  /** Backoff between resends of a write read back as not created. */
  retry: RetryPolicy;
  /** Off only to prove that the checks catch the duplicates a blind resend makes. */
  readBack: boolean;
  /** Help Scout user ids by lower-cased email (undefined: no such user, the token's owner writes it). */
  users: ReadonlyMap<string, number | undefined>;
  /** An agent line whose author is no Help Scout user: the owner's, with the name, or a note. */
  unknownAgents?: UnknownAgents;
  /** Conversation ids this state file already created, so read-back never mistakes one for another. */
  knownConversationIds: Set<number>;
  /** Aborted on SIGINT/SIGTERM: no new write starts after it. */
  stop: AbortSignal;
  /** How often one write may be found "not created" and sent again before the run leaves it for later. */
  maxResends: number;
  /** `source.attachments`: files named by URL, downloaded when their thread is sent. Absent: none are. */
  files?: FileSource;
}

/** How a step ended: done, refused for good, interrupted by a stop, or left unresolved for a later run. */
export type Outcome = 'ok' | 'failed' | 'stopped' | 'deferred' | { waitUntil: number };

function userOf(ctx: SendContext, thread: PartThread): number | undefined {
  const email = thread.row.authorEmail?.toLowerCase();
  return email ? ctx.users.get(email) : undefined;
}

export function shapeOf(ctx: SendContext, thread: PartThread): ThreadShape {
  return threadShape(thread.row, ctx.target.agentLines, userOf(ctx, thread), ctx.unknownAgents);
}
