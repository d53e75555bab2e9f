import { pointsOf } from '../api/api-types.js';
import type { ClientStats } from '../helpscout/client.js';
import type { RateLimiter } from '../helpscout/rate-limiter.js';
import type { PlanCounts } from '../state/plan-store.js';
import type { Progress } from '../state/progress.js';
import { packageVersion } from '../util/version.js';
import { budgetShare } from './progress-line.js';
import type { StageCounts } from './stage.js';
import type { RunStats } from './stats.js';

/** How a run ended: all imported, some rows rejected or threads failed or left, or stopped by a signal. */
export type RunOutcome = 'complete' | 'partial' | 'stopped';

export interface Summary {
  version: string;
  startedAt: string;
  finishedAt: string;
  outcome: RunOutcome;
  stopped: boolean;
  /** read = valid + rejected: a row rejected after staging (its conversation names no customer) is no longer valid. */
  rows: {
    read: number;
    valid: number;
    rejected: number;
    /** Valid rows that repeat an earlier row's `thread_id` and content: the message is imported once. */
    repeated: number;
    subjectsCut: number;
    filesWithoutRows: string[];
  };
  /** total: every conversation the state file holds (done ≤ total), inExport: those planned this run. */
  conversations: Progress['conversations'] & {
    inExport: number;
    total: number;
    /** Given source.customerFallback as their customer: their rows named none. */
    withFallbackCustomer: number;
  };
  parts: {
    created: number;
    createdThisRun: number;
    pending: number;
    /** Creates refused as too large (413) this run, each part planned again with fewer threads inline. */
    plannedAgainThisRun: number;
  };
  threads: {
    importedThisRun: number;
    imported: number;
    pending: number;
    failed: number;
    unplanned: number;
    /** Planned this run but older than what their conversation already had in Help Scout. */
    olderThanSent: number;
    /** Found again with other text than the one imported: never sent again, listed in changed.csv. */
    changedSinceImport: number;
    /** Failed before and sent again this run: their row changed, or `--retry-failed` asked. */
    retried: number;
  };
  requests: { writes: number; reads: number; throttled429: number; retries: number; tokenRenewals: number };
  inDoubt: { seen: number; foundOnReadBack: number; notCreatedAndResent: number; stillOpen: number };
  continuations: number;
  movedConversations: number;
  durationsMs: { stageAndPlan: number; send: number; total: number };
  rateLimit: { limitPerMinute: number | null; pointsSpent: number; achievedShare: number | null };
}

export function buildSummary(input: {
  staged: StageCounts;
  planned: PlanCounts;
  progress: Progress;
  stats: RunStats;
  client: ClientStats | undefined;
  limiter: RateLimiter | undefined;
  startedAt: number;
  stagedAt: number;
  finishedAt: number;
  stopped: boolean;
}): Summary {
  const { staged, planned, progress, stats, client } = input;
  const rejected = progress.rejects;
  const points = client ? pointsOf(client.writes, client.reads) : 0;
  const sendMs = input.finishedAt - input.stagedAt;
  const limit = input.limiter?.currentLimit ?? null;
  const share =
    limit && points > 0 ? budgetShare(client?.writes ?? 0, client?.reads ?? 0, limit, sendMs) : null;
  const achievedShare = share === null ? null : round(share, 3);
  const unfinished = progress.threads.pending > 0 || progress.writes.inDoubt > 0;
  const outcome: RunOutcome = input.stopped
    ? 'stopped'
    : rejected > 0 || progress.threads.failed > 0 || unfinished
      ? 'partial'
      : 'complete';
  return {
    version: packageVersion(),
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    outcome,
    stopped: input.stopped,
    rows: {
      read: staged.rowsRead,
      valid: staged.rowsValid - planned.rowsRejected,
      rejected: staged.rejected + planned.rowsRejected,
      repeated: staged.repeated,
      subjectsCut: staged.subjectsCut,
      filesWithoutRows: staged.filesWithoutRows,
    },
    conversations: {
      inExport: planned.conversations,
      total: Object.values(progress.conversations).reduce((sum, n) => sum + n, 0),
      ...progress.conversations,
      withFallbackCustomer: progress.customerFallback,
    },
    parts: {
      created: progress.parts.created,
      createdThisRun: stats.partsCreated,
      pending: progress.parts.pending,
      plannedAgainThisRun: stats.plannedAgain,
    },
    threads: {
      importedThisRun: stats.threadsImported,
      imported: progress.threads.done,
      pending: progress.threads.pending,
      failed: progress.threads.failed,
      unplanned: progress.threads.unplanned,
      olderThanSent: planned.threadsOlderThanSent,
      changedSinceImport: progress.changedSinceImport,
      retried: staged.retried.changed + staged.retried.asked,
    },
    requests: {
      writes: client?.writes ?? 0,
      reads: client?.reads ?? 0,
      throttled429: client?.throttled ?? 0,
      retries: client?.retries ?? 0,
      tokenRenewals: client?.tokenRenewals ?? 0,
    },
    inDoubt: {
      seen: stats.inDoubt,
      foundOnReadBack: stats.resolvedFound,
      notCreatedAndResent: stats.resolvedNotCreated,
      stillOpen: progress.writes.inDoubt,
    },
    continuations: stats.continuations,
    movedConversations: stats.moved,
    durationsMs: {
      stageAndPlan: input.stagedAt - input.startedAt,
      send: sendMs,
      total: input.finishedAt - input.startedAt,
    },
    rateLimit: { limitPerMinute: limit, pointsSpent: points, achievedShare },
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The few lines a person reads at the end of a run. */
export function formatSummary(s: Summary, reportDir: string): string {
  const lines = [
    ...(nothingWasLeft(s)
      ? ['nothing to do: every planned thread of the export is already in Help Scout']
      : []),
    `rows read ${s.rows.read}, valid ${s.rows.valid}, rejected ${s.rows.rejected}` +
      (s.rows.repeated > 0 ? `; repeated messages (same thread_id) imported once: ${s.rows.repeated}` : '') +
      (s.rows.subjectsCut > 0 ? `; subjects cut to 255 characters: ${s.rows.subjectsCut}` : ''),
    `conversations ${s.conversations.total}: done ${s.conversations.done}, partial ${s.conversations.partial}, pending ${s.conversations.pending}, failed ${s.conversations.failed}`,
    `threads imported ${s.threads.imported} (this run ${s.threads.importedThisRun}), pending ${s.threads.pending}, failed ${s.threads.failed}`,
    `parts in Help Scout ${s.parts.created}; continuations ${s.continuations}; moved ${s.movedConversations}` +
      (s.parts.plannedAgainThisRun > 0
        ? `; planned again smaller (413): ${s.parts.plannedAgainThisRun}`
        : ''),
    `requests: ${s.requests.writes} writes, ${s.requests.reads} reads, ${s.requests.throttled429} × 429, ${s.requests.retries} retries`,
    `in doubt: ${s.inDoubt.seen} (found ${s.inDoubt.foundOnReadBack}, not created ${s.inDoubt.notCreatedAndResent}, open ${s.inDoubt.stillOpen})`,
    `reports in ${reportDir}`,
  ];
  if (s.rows.filesWithoutRows.length > 0)
    lines.unshift(`no rows in ${s.rows.filesWithoutRows.join(', ')}: empty, or a header only`);
  if (s.conversations.withFallbackCustomer > 0) {
    lines.push(
      `conversations with source.customerFallback as customer ${s.conversations.withFallbackCustomer}`,
    );
  }
  if (s.threads.changedSinceImport > 0) {
    lines.push(`changed since import ${s.threads.changedSinceImport}: not sent again, listed in changed.csv`);
  }
  if (s.threads.retried > 0) lines.push(`failed before and sent again ${s.threads.retried}`);
  if (s.threads.failed > 0) {
    lines.push(
      'failed threads are listed in failures.csv: fix the row in the export and run again, or run again with --retry-failed',
    );
  }
  if (s.stopped) lines.push('stopped: run the same command again to resume');
  return lines.join('\n');
}

/** No write and nothing pending or failed: the export had nothing this run could send. */
export function nothingWasLeft(s: Summary): boolean {
  return (
    !s.stopped &&
    // Reads alone do not count: every run reads the mailbox before it starts.
    s.requests.writes === 0 &&
    s.inDoubt.foundOnReadBack + s.inDoubt.notCreatedAndResent === 0 &&
    s.threads.pending === 0 &&
    s.threads.failed === 0 &&
    s.inDoubt.stillOpen === 0
  );
}
