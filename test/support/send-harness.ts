import type { Strategy } from '../../src/plan/split.js';
import { planPending } from '../../src/run/plan.js';
import type { SendContext } from '../../src/run/send-part.js';
import { type StageCounts, type StageOptions, stageSource } from '../../src/run/stage.js';
import { emptyRunStats } from '../../src/run/stats.js';
import type { SourceItem } from '../../src/source/types.js';
import { Parts } from '../../src/state/parts.js';
import type { StateStore } from '../../src/state/store.js';
import { WriteLog } from '../../src/state/write-log.js';
import { silentLogger } from '../../src/util/logger.js';
import type { FakeHelpScout } from './fake-api.js';
import { instantClock } from './instant-clock.js';

/** Stages these items as the reading of run `run` (an export given as rows, not as files). */
export function stageItems(
  store: StateStore,
  items: readonly SourceItem[],
  run = 1,
  options: StageOptions = {},
): Promise<StageCounts> {
  async function* iterate(): AsyncGenerator<SourceItem> {
    yield* items;
  }
  return stageSource(store, iterate(), run, undefined, options);
}

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

/**
 * Every source row's thread exactly once, in order (date, first 20 characters, number of files), in the Help
 * Scout conversations of its conversation's parts; no conversation outside a part (a duplicate); no write left
 * in doubt; with `allDone`, no thread left undone either.
 */
export function exactlyOnceProblems(
  store: StateStore,
  api: FakeHelpScout,
  items: readonly SourceItem[],
  { allDone = false } = {},
): string[] {
  const found: string[] = [];
  const expected = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'row') continue;
    const list = expected.get(item.row.conversationId) ?? [];
    list.push(`${item.row.createdAt} ${item.row.text.slice(0, 20)} ${item.row.attachments.length}`);
    expected.set(item.row.conversationId, list);
  }
  const parts = store
    .prepare(
      'SELECT conversation_key AS c, hs_conversation_id AS hs FROM parts WHERE hs_conversation_id IS NOT NULL ORDER BY conversation_key, part_no',
    )
    .all() as { c: string; hs: number }[];
  const used = new Set(parts.map((p) => p.hs));
  for (const id of api.conversations.keys())
    if (!used.has(id)) found.push(`conversation ${id} is in no part: duplicate`);
  for (const [conversation, want] of expected) {
    const got = parts
      .filter((p) => p.c === conversation)
      .flatMap((p) => api.conversations.get(p.hs)?.threads ?? [])
      .map((t) => `${t.createdAt} ${t.body.slice(0, 20)} ${t.attachments.length}`);
    if (JSON.stringify(got) !== JSON.stringify(want))
      found.push(
        `${conversation}: ${got.length} threads in Help Scout, ${want.length} expected, or out of order`,
      );
  }
  if (allDone) {
    const left = store.prepare("SELECT count(*) FROM threads WHERE state <> 'done'").pluck().get() as number;
    if (left > 0) found.push(`${left} threads not done`);
  }
  const open = store
    .prepare("SELECT count(*) FROM writes WHERE outcome IS NULL OR outcome = 'in-doubt'")
    .pluck()
    .get() as number;
  if (open > 0) found.push(`${open} writes still in doubt`);
  return found;
}
