import { createInterface } from 'node:readline/promises';
import type { ResolvedConfig } from '../config/load.js';
import { writeChangedReport } from '../report/changed-report.js';
import { writeFailures } from '../report/failures-report.js';
import { writeRollbackReport } from '../report/rollback-report.js';
import { checkReportDir, writeReports } from '../report/write-reports.js';
import { readConversationLinks } from '../run/conversation-links.js';
import { type RollbackLine, rollBackParts } from '../run/rollback.js';
import { checkTarget } from '../run/target.js';
import { changedThreads } from '../state/changed-threads.js';
import { failedThreads } from '../state/failures.js';
import { Parts } from '../state/parts.js';
import { readProgress } from '../state/progress.js';
import { type MappingRow, reportRowsOf } from '../state/report-rows.js';
import { lastRunSummary, startRun } from '../state/runs.js';
import { StateStore } from '../state/store.js';
import { WriteLog } from '../state/write-log.js';
import { silentLogger } from '../util/logger.js';
import { openCommandSession } from './api-endpoint.js';
import { EXIT } from './exit-codes.js';

/** `report`: rewrites mapping.csv, rejects.csv, changed.csv, failures.csv and summary.json from the state file. */
export async function reportCommand(config: ResolvedConfig, withLinks = false): Promise<number> {
  checkReportDir(config.reportDir);
  const store = StateStore.open(config.state, { mustExist: true });
  try {
    const last = lastRunSummary(store);
    const summary = { ...(last ? (JSON.parse(last) as object) : {}), progress: readProgress(store) };
    const rows = reportRowsOf(store);
    const links = withLinks ? await linksOf(config, rows.mapping()) : undefined;
    writeReports(rows, config.reportDir, summary, links);
    writeChangedReport(changedThreads(store), config.reportDir);
    writeFailures(failedThreads(store), config.reportDir);
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
    if (!yes && !process.stdin.isTTY) {
      process.stderr.write(
        `hs-import: rollback would delete ${parts.length} conversations and asks first; without a terminal to ask on, pass --yes\n`,
      );
      return EXIT.fatal;
    }
    if (!yes && !(await confirm(`Delete ${parts.length} conversations from Help Scout? [y/N] `))) {
      process.stdout.write('not confirmed: nothing deleted\n');
      return EXIT.fatal;
    }
    const session = await openCommandSession(config, silentLogger());
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

/** One read a conversation, under the rate limit like any run. */
async function linksOf(config: ResolvedConfig, mapping: MappingRow[]) {
  const session = await openCommandSession(config, silentLogger());
  try {
    return await readConversationLinks(
      session.client,
      mapping.map((r) => r.hs),
    );
  } finally {
    await session.close();
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
