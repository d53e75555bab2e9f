import type { Logger } from 'pino';
import { pointsOf } from '../api/api-types.js';
import type { ClientStats } from '../helpscout/client.js';
import type { RateLimiter } from '../helpscout/rate-limiter.js';
import { planTotals } from '../state/plan-totals.js';
import { readProgress } from '../state/progress.js';
import type { StateStore } from '../state/store.js';
import type { Clock } from '../util/clock.js';
import { formatProgress, type Phase, type ProgressSnapshot } from './progress-line.js';
import type { RunStats } from './stats.js';

/** Writes cost 2 points: what is left takes writes × 2 ÷ budget minutes, the floor no importer can beat. */
export function etaMinutes(writesLeft: number, pointsPerMinute: number): number {
  return pointsPerMinute > 0 ? pointsOf(writesLeft) / pointsPerMinute : Number.POSITIVE_INFINITY;
}

export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes)) return '?';
  if (minutes < 1) return `${Math.ceil(minutes * 60)}s`;
  if (minutes < 120) return `${Math.ceil(minutes)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}

/** Where the line goes: stderr in production, a buffer in tests. */
export interface ProgressOutput {
  isTTY: boolean;
  write(text: string): void;
}

interface Sending {
  client: { stats: ClientStats };
  limiter: RateLimiter;
  stats: RunStats;
  at: number;
  doneAtStart: number;
}

/** Without a terminal, one human line this often, whatever the log level. */
export const LOG_LINE_EVERY_MS = 60_000;

/**
 * The run's progress: on a terminal a line that rewrites itself every second; otherwise a readable line on
 * stderr every minute (and a `progress` event in the log). Reads the ledger, so it shows what is recorded,
 * not what is hoped. `tick` does one update; the timer only calls it, so tests drive it with a fake clock.
 */
export class ProgressReporter {
  private phase: Phase = 'reading';
  private sendingState: Sending | undefined;
  private lastLineAt: number;
  private onScreen = false;

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly out: ProgressOutput,
    private readonly startedAt = clock.now(),
  ) {
    this.lastLineAt = startedAt;
  }

  planning(): void {
    this.phase = 'planning';
  }

  sending(client: { stats: ClientStats }, limiter: RateLimiter, stats: RunStats): void {
    this.phase = 'sending';
    const doneAtStart = readProgress(this.store).threads.done;
    this.sendingState = { client, limiter, stats, at: this.clock.now(), doneAtStart };
  }

  snapshot(): ProgressSnapshot {
    const now = this.clock.now();
    const base = {
      elapsedMs: now - this.startedAt,
      sendingMs: 0,
      threadsDone: 0,
      threadsTotal: 0,
      threadsThisRun: 0,
      writesLeft: 0,
      writes: 0,
      reads: 0,
      limitPerMinute: 0,
      throttled: 0,
      inDoubt: 0,
    };
    const s = this.sendingState;
    if (!s) return { phase: this.phase, ...base };
    const left = planTotals(this.store);
    const { stats } = s;
    const inDoubt = Math.max(0, stats.inDoubt - stats.resolvedFound - stats.resolvedNotCreated);
    const done = s.doneAtStart + stats.threadsImported;
    const c = s.client.stats;
    // Writes merely in doubt while others go on are sending; the run waits only when nothing else is left.
    const phase: Phase =
      (c.waitingForBudget ?? 0) > 0
        ? 'waiting for the rate-limit window'
        : stats.waitingReadBack > 0
          ? 'in doubt, waiting'
          : 'sending';
    return {
      ...base,
      phase,
      sendingMs: now - s.at,
      threadsDone: done,
      threadsTotal: done + left.threads,
      threadsThisRun: stats.threadsImported,
      writesLeft: left.writes,
      writes: c.writes,
      reads: c.reads,
      limitPerMinute: s.limiter.currentLimit,
      throttled: c.throttled,
      inDoubt,
    };
  }

  tick(): void {
    const snapshot = this.snapshot();
    const line = formatProgress(snapshot);
    if (this.out.isTTY) {
      this.out.write(`\r\u001b[2K${line}`);
      this.onScreen = true;
      return;
    }
    const now = this.clock.now();
    if (now - this.lastLineAt < LOG_LINE_EVERY_MS) return;
    this.lastLineAt = now;
    this.out.write(`hs-import: ${new Date(now).toISOString()} ${line}\n`);
    this.log.info({ event: 'progress', ...snapshot });
  }

  /** Starts the timer; the function returned stops it and leaves the cursor on a fresh line. */
  start(): () => void {
    const timer = setInterval(() => this.tick(), 1_000);
    timer.unref();
    return () => {
      clearInterval(timer);
      if (this.onScreen) this.out.write('\n');
      this.onScreen = false;
    };
  }
}

export function stderrOutput(): ProgressOutput {
  return { isTTY: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) };
}
