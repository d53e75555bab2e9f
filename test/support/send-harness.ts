import type { Strategy } from '../../src/plan/split.js';
import { planPending } from '../../src/run/plan.js';
import type { SendContext } from '../../src/run/send-part.js';
import { emptyRunStats } from '../../src/run/stats.js';
import { Parts } from '../../src/state/parts.js';
import type { StateStore } from '../../src/state/store.js';
import { WriteLog } from '../../src/state/write-log.js';
import { silentLogger } from '../../src/util/logger.js';
import type { FakeHelpScout } from './fake-api.js';
import { instantClock } from './instant-clock.js';

/** Plans what is left of a staged store, as an import run does before sending. */
export function planForSending(store: StateStore, strategy: Strategy, run = 1): void {
  planPending(store, run, {
    strategy,
    maxRequestBytes: 256 * 1024,
    status: 'closed',
    tags: ['hs-import'],
    subjectTemplate: 'Chat {conversation}',
    partSubjectTemplate: '{subject} ({part}/{parts})',
  });
}

/** What one import run hands the sender: the store's log and parts, the fake API, a clock that never waits. */
export function sendContextFor(
  store: StateStore,
  api: FakeHelpScout,
  options: { strategy: Strategy; run: number; readBack?: boolean; stop?: AbortSignal },
): SendContext {
  const clock = instantClock();
  const parts = new Parts(store);
  return {
    client: api,
    writes: new WriteLog(store, options.run, () => new Date(clock.now()).toISOString()),
    parts,
    clock,
    log: silentLogger(),
    stats: emptyRunStats(),
    target: {
      apiUrl: 'x',
      mailboxId: 1,
      status: 'closed',
      tags: ['hs-import'],
      agentLines: 'reply',
      subjectTemplate: '',
      partSubjectTemplate: '',
      maxRequestBytes: 256 * 1024,
      assignTo: null,
      maxThreadRequestBytes: 10 * 1024 * 1024,
    },
    assignTo: null,
    strategy: options.strategy,
    search: { retries: 0, delayMs: 0 },
    readBack: options.readBack ?? true,
    retry: { retries: 3, minDelayMs: 10, maxDelayMs: 100 },
    users: new Map(),
    knownConversationIds: parts.knownConversationIds(),
    stop: options.stop ?? new AbortController().signal,
    maxResends: 3,
    // Read-backs conclude at once here; a test of the wait sets its own.
    resendAfterMs: 0,
  };
}
