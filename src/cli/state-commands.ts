import { createInterface } from 'node:readline/promises';
import type { ResolvedConfig } from '../config/load.js';
import { readCredentials } from '../config/load.js';
import { writeChangedReport } from '../report/changed-report.js';
import { writeRollbackReport } from '../report/rollback-report.js';
import { checkReportDir, writeReports } from '../report/write-reports.js';
import { openApiSession } from '../run/api-session.js';
import { type RollbackLine, rollBackParts } from '../run/rollback.js';
import { checkTarget } from '../run/target.js';
import { changedThreads } from '../state/changed-threads.js';
import { Parts } from '../state/parts.js';
import { readProgress, unfinishedConversations } from '../state/progress.js';
import { reportRowsOf } from '../state/report-rows.js';
import { describeHolder, holderIsAlive, type LockHolder } from '../state/run-lock.js';
import { lastRunSummary, startRun } from '../state/runs.js';
import type { SourceFileIdentity } from '../state/source-identity.js';
import { StateStore } from '../state/store.js';
import { WriteLog } from '../state/write-log.js';
import { systemClock } from '../util/clock.js';
import { silentLogger } from '../util/logger.js';
import { apiEndpointOf } from './api-endpoint.js';
import { EXIT } from './exit-codes.js';

/** `status`: overall counts, then every conversation that is not done. */
export async function statusCommand(config: ResolvedConfig): Promise<number> {
  const store = StateStore.open(config.state, { mustExist: true });
  try {
    const p = readProgress(store);
    const out = [
      `state ${config.state}`,
      `threads: done ${p.threads.done}, pending ${p.threads.pending}, failed ${p.threads.failed}, not planned ${p.threads.unplanned}`,
      `conversations: done ${p.conversations.done}, partial ${p.conversations.partial}, pending ${p.conversations.pending}, failed ${p.conversations.failed}`,
      `parts in Help Scout ${p.parts.created}, not yet created ${p.parts.pending}`,
      `writes: ok ${p.writes.ok}, failed ${p.writes.failed}, in doubt ${p.writes.inDoubt}, read back as not created ${p.writes.notCreated}`,
      `rejected rows ${p.rejects}`,
      `target ${store.getMeta('target') ?? '(none yet)'}`,
      lockLine(store.lockHolder()),
      ...sourceLines(store.getMeta('source')),
    ];
    const open = unfinishedConversations(store);
    if (open.length > 0) out.push('', 'conversation,done,pending,failed,in_doubt');
    for (const c of open) out.push(`${c.conversation},${c.done},${c.pending},${c.failed},${c.inDoubt}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/** `report`: rewrites mapping.csv, rejects.csv and summary.json from the state file. */
export async function reportCommand(config: ResolvedConfig): Promise<number> {
  checkReportDir(config.reportDir);
  const store = StateStore.open(config.state, { mustExist: true });
  try {
    const last = lastRunSummary(store);
    const summary = { ...(last ? (JSON.parse(last) as object) : {}), progress: readProgress(store) };
    writeReports(reportRowsOf(store), config.reportDir, summary);
    writeChangedReport(changedThreads(store), config.reportDir);
    process.stdout.write(`reports written to ${config.reportDir}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/**
 * `rollback`: deletes every conversation this state file created (after a sample run, say), and marks their
 * threads as not sent, so a later import sends them again.
 */
export async function rollbackCommand(config: ResolvedConfig, yes: boolean): Promise<number> {
  const store = StateStore.open(config.state, { mustExist: true });
  try {
    store.acquireLock();
    // Conversation ids mean something only in the account that created them.
    checkTarget(store, config, false);
    // Only conversations this state file created: a part moved into a conversation someone merged it into
    // holds other people's history, and is left alone.
    const now = () => new Date().toISOString();
    const writes = new WriteLog(store, startRun(store, 'rollback', now()), now);
    const repo = new Parts(store);
    const inHelpScout = repo.inHelpScout();
    const parts = inHelpScout.filter((p) => p.createdHere);
    const moved = inHelpScout.length - parts.length;
    if (moved > 0) {
      process.stdout.write(`${moved} parts continue in conversations merged by someone else: not deleted\n`);
    }
    if (parts.length === 0) {
      process.stdout.write('nothing to roll back\n');
      return EXIT.ok;
    }
    if (!yes && !(await confirm(`Delete ${parts.length} conversations from Help Scout? [y/N] `))) {
      process.stdout.write('not confirmed: nothing deleted\n');
      return EXIT.fatal;
    }
    const session = await openApiSession(
      config,
      apiEndpointOf(config, readCredentials(), silentLogger()),
      systemClock,
      new AbortController().signal,
    );
    let lines: RollbackLine[];
    try {
      lines = await rollBackParts(session.client, writes, repo, parts);
    } finally {
      await session.close();
    }
    const report = writeRollbackReport(lines, config.reportDir);
    const deleted = lines.filter((l) => l.action === 'deleted').length;
    for (const l of lines.filter((x) => x.action !== 'deleted')) {
      process.stdout.write(`conversation ${l.conversationId} (${l.subject}): ${l.action}\n`);
    }
    process.stdout.write(
      `deleted ${deleted} conversations; their threads are pending again. ${lines.length - deleted} left as they are.\n` +
        `${report} lists each conversation and the customers the import named by email, to remove where Help Scout allows it.\n`,
    );
    return EXIT.ok;
  } finally {
    store.close();
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function lockLine(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'lock free: no run holds the state file';
  const alive = holderIsAlive(holder) ? '' : ' (that process is gone: the next run takes the lock over)';
  return `lock held by ${describeHolder(holder)}${alive}`;
}

function sourceLines(raw: string | undefined): string[] {
  if (!raw) return [];
  return (JSON.parse(raw) as SourceFileIdentity[]).map(
    (f) => `source ${f.file}: ${f.size} bytes, modified ${f.modified}, fingerprint ${f.fingerprint}`,
  );
}
