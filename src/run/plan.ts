import { type PlanOptions, planConversation } from '../plan/plan-conversation.js';
import {
  conversationsInRange,
  type KeyRange,
  keyRanges,
  RANGE_ROWS,
  type RangePlan,
  type StartedParts,
} from '../state/plan-range.js';
import { inPlanningTransaction, type PlanCounts, sampleOf } from '../state/plan-store.js';
import type { StateStore } from '../state/store.js';

/** What every range is planned with. */
interface RangeContext {
  runId: number;
  options: PlanOptions;
  /** `--sample`: the conversations to plan; undefined: all. */
  sample: ReadonlySet<string> | undefined;
}

/**
 * Plans every thread of this run's export that is not yet in a part, in one transaction (the plan is all
 * there or not at all). Parts already started keep their threads; new threads may join a conversation's last
 * one. The conversations are read and planned a key range at a time (`rangeRows` threads or so each), and
 * what is decided for them written.
 */
export function planPending(
  store: StateStore,
  runId: number,
  options: PlanOptions & { sample?: number | undefined },
  rangeRows = RANGE_ROWS,
): PlanCounts {
  return inPlanningTransaction(store, (writer, started) => {
    const context: RangeContext = {
      runId,
      options,
      sample: options.sample ? sampleOf(store, runId, options.sample) : undefined,
    };
    for (const range of keyRanges(store, rangeRows)) {
      const plan = planRange(store, range, started, context);
      writer.conversationsSeen(plan.conversations);
      for (const outcome of plan.outcomes) writer.outcome(outcome);
    }
  });
}

/**
 * Plans the unsent threads of a key range's conversations, after planPending has deleted the parts nothing
 * was sent for. Reads only: what it decides, planPending writes.
 */
function planRange(
  store: StateStore,
  range: KeyRange,
  started: StartedParts,
  { runId, options, sample }: RangeContext,
): RangePlan {
  const plan: RangePlan = { conversations: 0, outcomes: [] };
  for (const conversation of conversationsInRange(store, runId, range)) {
    const { key, threads: all } = conversation;
    if (sample && !sample.has(key)) continue;
    plan.conversations += 1;
    const unsent = all.filter((_, i) => conversation.unsent[i]);
    if (unsent.length === 0) continue;
    const lastStarted = started.lastOf(key);
    const planned = planConversation(key, unsent, lastStarted, all, options);
    if (planned.kind === 'rejected') {
      const { field, reason } = planned;
      plan.outcomes.push({ kind: 'rejected', key, field, reason, threadIds: unsent.map((t) => t.id) });
      continue;
    }
    const { append } = planned;
    plan.outcomes.push({
      kind: 'planned',
      key,
      ...(append && {
        append: { ...append, firstIndex: started.nextIndexOf(append.partId) },
      }),
      parts: planned.parts.map((part) => ({
        partNo: part.partNo,
        subject: part.envelope.subject,
        envelopeJson: JSON.stringify(part.envelope),
        threadIds: part.threadIds,
        inline: part.inline,
        deferFirstAttachments: part.deferFirstAttachments,
      })),
      olderThanSent: planned.olderThanSent,
    });
  }
  return plan;
}
