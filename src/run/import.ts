import type { Logger } from 'pino';
import type { RequestLimits } from '../api/request-size.js';
import type { ResolvedConfig } from '../config/load.js';
import type { PlanOptions } from '../plan/plan-conversation.js';
import { writeChangedReport } from '../report/changed-report.js';
import { writeFailures } from '../report/failures-report.js';
import { writeReports } from '../report/write-reports.js';
import { recognisedMessage, resolveSource } from '../source/detect.js';
import { changedThreads } from '../state/changed-threads.js';
import { customerMemory } from '../state/customers.js';
import { failedThreads } from '../state/failures.js';
import { Parts } from '../state/parts.js';
import { readProgress } from '../state/progress.js';
import { reportRowsOf } from '../state/report-rows.js';
import { finishRun, startRun } from '../state/runs.js';
import { identifySourceFiles, recordSourceIdentity } from '../state/source-identity.js';
import type { StateStore } from '../state/store.js';
import { WriteLog } from '../state/write-log.js';
import type { Clock } from '../util/clock.js';
import { FatalError } from '../util/errors.js';
import { type ApiSession, type OpenApiEndpoint, openApiSession } from './api-session.js';
import { withoutUnknownCustomers } from './customer-check.js';
import { planPending } from './plan.js';
import { type ProgressOutput, ProgressReporter, stderrOutput } from './progress.js';
import { sendAll } from './send-all.js';
import { stageExport } from './stage.js';
import { emptyRunStats } from './stats.js';
import { buildSummary, type Summary } from './summary.js';
import { checkMailbox, importTarget } from './target.js';
import { openFileSource } from './thread-files.js';
import { resolveAssignee, resolveUsers } from './users.js';

export interface ImportDeps {
  config: ResolvedConfig;
  store: StateStore;
  /** Where requests go; opened only when something is left to send. */
  openEndpoint: OpenApiEndpoint;
  clock: Clock;
  log: Logger;
  /** Aborted by the first SIGINT/SIGTERM: no new write starts, what is in flight finishes. */
  stop: AbortSignal;
  /**
   * False only where a test proves that the checks catch the duplicates a blind resend makes; never a user
   * setting, since without read-back a lost answer becomes a duplicate.
   */
  readBack?: boolean;
  /** Where the progress line goes; stderr by default. */
  progressOutput?: ProgressOutput;
  /** `--retry-failed`: failed threads are sent again even when their row did not change. */
  retryFailed?: boolean;
}

/** Times one write may be read back as not created and sent again in a run before it is left for the next. */
const MAX_RESENDS = 3;

/** The job: check the target → stage → plan → send (resolving what is in doubt first) → report. */
export async function runImport(deps: ImportDeps): Promise<Summary> {
  const { config, store, clock, log, stop } = deps;
  const startedAt = clock.now();
  // Refused before any work: the demo's embedded emulator has mailbox 1; a real account needs it named.
  const mailboxId = mailboxIdOf(config);
  const target = importTarget(store, config, log);
  const { recognised } = await resolveSource(config.source, config.baseDir);
  if (recognised !== undefined)
    log.info({ event: 'source.recognised', preset: recognised }, recognisedMessage(recognised));
  const session = await openApiSession(config, deps.openEndpoint, clock, stop, log);
  try {
    // One read before anything is staged or recorded: a wrong mailbox is an account-level refusal, which
    // would otherwise fail every conversation one by one.
    await checkMailbox(session.client, mailboxId);
    target.record();
    const runId = startRun(store, 'import', new Date(clock.now()).toISOString());
    const progressLine = new ProgressReporter(
      store,
      clock,
      log,
      deps.progressOutput ?? stderrOutput(),
      startedAt,
    );
    const stopProgress = progressLine.start();
    try {
      return await importWith(deps, session, runId, mailboxId, startedAt, progressLine);
    } finally {
      stopProgress();
    }
  } finally {
    await session.close();
  }
}

async function importWith(
  deps: ImportDeps,
  session: ApiSession,
  runId: number,
  mailboxId: number,
  startedAt: number,
  progressLine: ProgressReporter,
): Promise<Summary> {
  const { config, store, clock, log, stop } = deps;

  const { staged, planned } = await store.bulk(async () => {
    log.info({ event: 'source.reading', files: config.source.files.length });
    const staged = await stageExport(store, config.source, config.baseDir, runId, stop, clock.now(), {
      retryFailed: deps.retryFailed ?? false,
      limits: requestLimitsOf(config),
    });
    const changed = recordSourceIdentity(store, identifySourceFiles(config.source.files, config.baseDir));
    log.info({ event: 'source.staged', ...staged, changedSinceLastRun: changed });
    if (staged.retried.changed + staged.retried.asked > 0)
      log.info({ event: 'failed.retried', ...staged.retried }, 'failed threads are sent again');
    progressLine.planning();
    return { staged, planned: planPending(store, runId, planOptionsOf(config)) };
  });
  log.info({ event: 'plan.ready', ...planned });
  if (staged.repeated > 0) {
    log.warn(
      { event: 'source.repeated-thread-ids', rows: staged.repeated },
      "rows repeat an earlier row's thread_id with the same content: each message is imported once",
    );
  }
  if (staged.subjectsCut > 0) {
    log.warn(
      { event: 'source.subjects-cut', rows: staged.subjectsCut },
      'subjects longer than 255 characters are cut: Help Scout keeps no more',
    );
  }
  if (planned.threadsOlderThanSent > 0) {
    log.warn(
      { event: 'plan.older-than-sent', threads: planned.threadsOlderThanSent },
      'new threads are older than what their conversation already has in Help Scout: they keep their times but follow it',
    );
  }
  const stagedAt = clock.now();

  const writes = new WriteLog(store, runId, () => new Date(clock.now()).toISOString());
  const partsRepo = new Parts(store);
  const stats = emptyRunStats();
  const files = openFileSource(config.source.attachments, store.path, clock);
  try {
    const toSend = partsRepo.toSend();
    const memory = customerMemory(store);
    const parts = await withoutUnknownCustomers(session.client, partsRepo, toSend, stats, log, memory);
    if (parts.length > 0) {
      const users = await resolveUsers(store, session.client, log);
      const assignTo = await resolveAssignee(config.target.assignTo, session.client);
      const ctx = {
        client: session.client,
        writes,
        parts: partsRepo,
        clock,
        log,
        stats,
        target: { ...config.target, mailboxId },
        unknownAgents: config.source.unknownAgents,
        assignTo,
        strategy: config.strategy,
        search: { retries: config.reconcile.searchRetries, delayMs: config.reconcile.searchDelayMs },
        resendAfterMs: config.reconcile.resendAfterSeconds * 1000,
        readBack: deps.readBack ?? true,
        retry: config.retry,
        users,
        knownConversationIds: partsRepo.knownConversationIds(),
        stop,
        maxResends: MAX_RESENDS,
        files,
      };
      progressLine.sending(session.client, session.limiter, stats);
      await sendAll(ctx, parts, config.concurrency);
    }
  } catch (error) {
    if (!stop.aborted) throw error;
  } finally {
    await files.fetcher?.close();
  }

  const progress = readProgress(store);
  const summary = buildSummary({
    staged,
    planned,
    progress,
    stats,
    client: session.client.stats,
    limiter: session.limiter,
    startedAt,
    stagedAt,
    finishedAt: clock.now(),
    stopped: stop.aborted,
  });
  let reportError: unknown;
  try {
    writeReports(reportRowsOf(store), config.reportDir, summary);
    writeChangedReport(changedThreads(store), config.reportDir);
    writeFailures(failedThreads(store), config.reportDir);
  } catch (error) {
    reportError = error;
  }
  finishRun(store, runId, new Date(clock.now()).toISOString(), JSON.stringify(summary));
  if (reportError !== undefined) {
    const code = (reportError as NodeJS.ErrnoException).code ?? String(reportError);
    throw new FatalError(
      'REPORT_WRITE_FAILED',
      `The reports could not be written to ${config.reportDir} (${code}). The data is safe: every outcome is in the state file ${store.path}; run "hs-import report" to write them again.`,
      { path: config.reportDir },
      { cause: reportError },
    );
  }
  log.info({ event: 'run.finished', outcome: summary.outcome, threadsImported: stats.threadsImported });
  return summary;
}

/** The embedded emulator's demo mailbox is 1; a real account's must be named. Checked before any work. */
export function mailboxIdOf(config: ResolvedConfig): number {
  const mailboxId = config.target.mailboxId ?? (config.target.apiUrl === 'embedded' ? 1 : undefined);
  if (mailboxId === undefined)
    throw new FatalError('CONFIG_INVALID', 'target.mailboxId is required (or --mailbox ID).');
  return mailboxId;
}

/** The request bodies the target takes, as configured: rows no request could carry are rejected at staging. */
export function requestLimitsOf(config: ResolvedConfig): RequestLimits {
  return { createBytes: config.target.maxRequestBytes, threadBytes: config.target.maxThreadRequestBytes };
}

/** The options of planning, from the config: the same for `import` and `validate`. */
export function planOptionsOf(config: ResolvedConfig): PlanOptions & { sample?: number | undefined } {
  return {
    strategy: config.strategy,
    maxRequestBytes: config.target.maxRequestBytes,
    status: config.target.status,
    tags: config.target.tags,
    subjectTemplate: config.target.subjectTemplate,
    partSubjectTemplate: config.target.partSubjectTemplate,
    customerFallback: config.source.customerFallback,
    sample: config.sample,
  };
}
