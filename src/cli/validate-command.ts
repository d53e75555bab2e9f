import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { planOptionsOf, requestLimitsOf } from '../run/import.js';
import { planPending } from '../run/plan.js';
import { etaMinutes, formatDuration } from '../run/progress.js';
import { stageExport } from '../run/stage.js';
import { recognisedMessage, resolveSource } from '../source/detect.js';
import { planTotals } from '../state/plan-totals.js';
import { listRejects } from '../state/rejects.js';
import { startRun } from '../state/runs.js';
import { StateStore } from '../state/store.js';
import { systemClock } from '../util/clock.js';
import { EXIT } from './exit-codes.js';
import { onlineChecks } from './validate-online.js';

/** Budget assumed when the account's limit is not configured: the Plus plan's. */
const ASSUMED_RATE_LIMIT = 400;

/**
 * read → validate → plan in a throw-away state file: no network (but reads with `online`, validate-online.ts), and the real state file is not touched. A
 * file rather than memory, so a large export is planned in the same bounded memory as a real import.
 */
export async function validateCommand(config: ResolvedConfig, online = false): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'hs-import-validate-'));
  const store = StateStore.open(join(scratch, 'plan.sqlite'));
  try {
    const { recognised } = await resolveSource(config.source, config.baseDir);
    if (recognised !== undefined) process.stdout.write(`${recognisedMessage(recognised)}\n`);
    const runId = startRun(store, 'validate', new Date(systemClock.now()).toISOString());
    const { staged, planned } = await store.bulk(async () => {
      const staged = await stageExport(
        store,
        config.source,
        config.baseDir,
        runId,
        undefined,
        systemClock.now(),
        { limits: requestLimitsOf(config) },
      );
      return { staged, planned: planPending(store, runId, planOptionsOf(config)) };
    });
    const found = online ? await onlineChecks(config, store) : undefined;
    const failing = found?.rows.length ?? 0;
    const lost = found?.conversations ?? 0;
    const totals = planTotals(store);
    const limit = config.rateLimit ?? ASSUMED_RATE_LIMIT;
    const minutes = etaMinutes(totals.writes, limit);
    const out: string[] = [
      `rows read ${staged.rowsRead}, valid ${staged.rowsValid - planned.rowsRejected - failing}, rejected ${staged.rejected + planned.rowsRejected + failing}`,
      `conversations ${planned.conversations - planned.conversationsRejected - lost} (rejected ${planned.conversationsRejected + lost})`,
      `parts ${totals.parts} (conversations split: ${totals.splitConversations})`,
      `threads ${totals.threads}: ${totals.inline} inline, ${totals.appended} appended`,
      `writes needed ${totals.writes}; at ${limit} points/min${config.rateLimit ? '' : ' (assumed; set rateLimit)'}: about ${formatDuration(minutes)}`,
    ];
    out.push(inDoubtHorizon(config.reconcile.resendAfterSeconds));
    if (staged.repeated > 0)
      out.push(
        `note: ${staged.repeated} rows repeat an earlier row's thread_id with the same content: imported once`,
      );
    if (staged.subjectsCut > 0)
      out.push(`warning: ${staged.subjectsCut} subjects are longer than 255 characters and will be cut`);
    const rejects = listRejects(store);
    for (const r of rejects)
      out.push(
        `rejected: ${r.file} ${r.line > 0 ? `row ${r.row} (line ${r.line})` : `record ${r.row}`} ${r.field}: ${r.reason}`,
      );
    if (found) {
      for (const r of found.rows)
        out.push(`rejected: ${r.file} row ${r.row} (line ${r.line}) ${r.field}: ${r.reason}`);
      out.push(found.summary);
    }
    const hint = fallbackHint(rejects, config.source.customerFallback);
    if (hint) out.push(hint);
    process.stdout.write(`${out.join('\n')}\n`);
    return rejects.length + failing > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    store.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * What the run does with a create whose answer was lost, told before any import: Help Scout's lists may show
 * a new conversation minutes late, so a run can sit "in doubt, waiting" for this long at its end.
 */
export function inDoubtHorizon(seconds: number): string {
  if (seconds === 0)
    return "in doubt: a create whose answer is lost is sent again as soon as a read-back misses it (reconcile.resendAfterSeconds 0): Help Scout's lists may show it minutes late, and it would then be there twice";
  return `in doubt: a create whose answer is lost and which Help Scout does not list yet is sent again only ${inWords(seconds)} after it was first sent (reconcile.resendAfterSeconds ${seconds}); until then other conversations go on, then the run waits ("in doubt, waiting")`;
}

/** 600 → "10 minutes", 90 → "1 minute 30 seconds", 3600 → "1 hour". */
function inWords(seconds: number): string {
  const unit = (n: number, name: string) => (n === 0 ? '' : `${n} ${name}${n === 1 ? '' : 's'}`);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const words = [unit(h, 'hour'), unit(m, 'minute'), unit(seconds % 60, 'second')].filter(Boolean);
  return words.join(' ');
}

/** Anonymous visitors' chats are most of a live-chat export: say how to import them rather than reject them. */
function fallbackHint(
  rejects: readonly { reason: string }[],
  fallback: string | undefined,
): string | undefined {
  if (fallback) return undefined;
  const anonymous = new Set<string>();
  for (const r of rejects) {
    const match = /^conversation (.+) has no customer_id or customer_email on any of its rows$/.exec(
      r.reason,
    );
    if (match?.[1]) anonymous.add(match[1]);
  }
  if (anonymous.size === 0) return undefined;
  return `hint: ${anonymous.size} conversations name no customer; set source.customerFallback (e.g. "{conversationId}@visitors.invalid") to import them with a customer of their own`;
}
