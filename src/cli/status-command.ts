import type { ResolvedConfig } from '../config/load.js';
import { etaMs, formatElapsed } from '../run/progress-line.js';
import { failuresByReason } from '../state/failures.js';
import { planTotals } from '../state/plan-totals.js';
import { readProgress, unfinishedConversations } from '../state/progress.js';
import { describeHolder, holderIsAlive, type LockHolder } from '../state/run-lock.js';
import { lastRunSummary } from '../state/runs.js';
import type { SourceFileIdentity } from '../state/source-identity.js';
import { StateStore } from '../state/store.js';
import { EXIT } from './exit-codes.js';

/** Budget assumed for the ETA when neither the config nor a past run knows the account's: the Plus plan's. */
const ASSUMED_RATE_LIMIT = 400;

interface LastRun {
  outcome?: string;
  finishedAt?: string;
  requests?: { writes: number; reads: number };
  rateLimit?: { limitPerMinute: number | null };
}

/** `status`: a few lines (percent, ETA, failures by reason, the lock); `--conversations` lists; `--json`. */
export async function statusCommand(
  config: ResolvedConfig,
  options: { conversations?: boolean; json?: boolean },
): Promise<number> {
  const store = StateStore.open(config.state, { mustExist: true });
  try {
    const p = readProgress(store);
    const left = planTotals(store);
    const lastRaw = lastRunSummary(store);
    const last = lastRaw ? (JSON.parse(lastRaw) as LastRun) : undefined;
    const limit = config.rateLimit ?? last?.rateLimit?.limitPerMinute ?? ASSUMED_RATE_LIMIT;
    const planned = p.threads.done + p.threads.pending + p.threads.failed;
    const percent = planned > 0 ? Math.floor((p.threads.done / planned) * 100) : 100;
    const eta = etaMs({
      phase: 'sending',
      elapsedMs: 0,
      sendingMs: 0,
      threadsDone: p.threads.done,
      threadsTotal: planned,
      threadsThisRun: 0,
      writesLeft: left.writes,
      writes: last?.requests?.writes ?? 0,
      reads: last?.requests?.reads ?? 0,
      limitPerMinute: limit,
      throttled: 0,
      inDoubt: p.writes.inDoubt,
    });
    const failures = failuresByReason(store);
    const lock = store.lockHolder();
    const open = options.conversations ? unfinishedConversations(store) : [];
    if (options.json) {
      const json = {
        state: config.state,
        percent,
        writesLeft: left.writes,
        etaSeconds: Math.round(eta / 1000),
        rateLimitPerMinute: limit,
        ...p,
        failures,
        lock: lock ?? null,
        lastRun: last ? { outcome: last.outcome ?? null, finishedAt: last.finishedAt ?? null } : null,
        target: store.getMeta('target') ? JSON.parse(store.getMeta('target') as string) : null,
        ...(options.conversations ? { unfinished: open } : {}),
      };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return EXIT.ok;
    }
    const out = [
      `state ${config.state}`,
      `${percent}% done; ${left.writes} writes left, about ${formatElapsed(eta)} at ${limit} points/min`,
      `threads: done ${p.threads.done}, pending ${p.threads.pending}, failed ${p.threads.failed}, not planned ${p.threads.unplanned}`,
      `conversations: done ${p.conversations.done}, partial ${p.conversations.partial}, pending ${p.conversations.pending}, failed ${p.conversations.failed}`,
      // While a run goes on, a write without its answer yet may simply be in flight.
      `${lock !== undefined && holderIsAlive(lock) ? 'in flight or in doubt' : 'in doubt'} ${p.writes.inDoubt}; rejected rows ${p.rejects}${last?.outcome ? `; last run ${last.outcome}${last.finishedAt ? ` at ${last.finishedAt}` : ''}` : ''}`,
      ...failures.map((f) => `failed: ${f.threads} × ${f.reason}`),
      lockLine(lock),
      targetLine(store.getMeta('target')),
      ...sourceLines(store.getMeta('source')),
    ];
    if (options.conversations && open.length === 0) out.push('', 'every planned conversation is done');
    if (open.length > 0) out.push('', 'conversation,done,pending,failed,in_doubt');
    for (const c of open) out.push(`${c.conversation},${c.done},${c.pending},${c.failed},${c.inDoubt}`);
    if (!options.conversations && p.conversations.pending + p.conversations.partial > 0) {
      out.push('(--conversations lists the conversations not done)');
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

function lockLine(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'no run in progress';
  const alive = holderIsAlive(holder) ? '' : ' (that process is gone: the next run takes the lock over)';
  return `run in progress: ${describeHolder(holder)}${alive}`;
}

function targetLine(raw: string | undefined): string {
  if (!raw) return 'target (none yet: the first import records it)';
  const target = JSON.parse(raw) as { apiUrl: string; mailboxId: number | null };
  return `target mailbox ${target.mailboxId} at ${target.apiUrl}`;
}

function sourceLines(raw: string | undefined): string[] {
  if (!raw) return [];
  return (JSON.parse(raw) as SourceFileIdentity[]).map(
    (f) => `source ${f.file}: ${f.size} bytes, modified ${f.modified}, fingerprint ${f.fingerprint}`,
  );
}
