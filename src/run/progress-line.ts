import { pointsOf, WRITE_COST } from '../api/api-types.js';

/** What the run is doing now, as the progress line names it. */
export type Phase =
  | 'reading'
  | 'planning'
  | 'sending'
  | 'waiting for the rate-limit window'
  /** Nothing else to send: the run sleeps until creates in doubt may be listed (reconcile.resendAfterSeconds). */
  | 'in doubt, waiting';

/** Everything the progress line shows, gathered at one instant; formatting it is pure. */
export interface ProgressSnapshot {
  phase: Phase;
  /** Since the run started. */
  elapsedMs: number;
  /** Since sending started; 0 before. */
  sendingMs: number;
  /** Threads done in Help Scout (all runs) and threads planned in all. */
  threadsDone: number;
  threadsTotal: number;
  threadsThisRun: number;
  writesLeft: number;
  /** Requests of this run (retries and read-backs included). */
  writes: number;
  reads: number;
  limitPerMinute: number;
  throttled: number;
  inDoubt: number;
}

/** A minute of sending before the measured pace is trusted: the first window starts full and runs fast. */
const PACE_AFTER_MS = 60_000;

/**
 * What is left, in ms. The budget gives the floor (writes × 2 plus the reads this run needed per write so
 * far); after a minute, the measured pace of writes (which pays for latency, 429 waits and read-backs) may say
 * more, and the larger of the two is the estimate, so it is not a lower bound.
 */
export function etaMs(s: ProgressSnapshot): number {
  if (s.writesLeft <= 0) return 0;
  if (s.limitPerMinute <= 0) return Number.POSITIVE_INFINITY;
  const readsPerWrite = s.writes > 0 ? s.reads / s.writes : 0;
  const byBudget = ((s.writesLeft * (WRITE_COST + readsPerWrite)) / s.limitPerMinute) * 60_000;
  const byPace = s.sendingMs >= PACE_AFTER_MS && s.writes > 0 ? (s.writesLeft * s.sendingMs) / s.writes : 0;
  return Math.max(byBudget, byPace);
}

/**
 * The share of the rate limit this run used. A run shorter than a minute had one window's points at most (the
 * window starts full), so it is measured against one window, not a fraction of one that would exceed 100 %.
 */
export function budgetShare(
  writes: number,
  reads: number,
  limitPerMinute: number,
  ms: number,
): number | null {
  if (limitPerMinute <= 0 || ms <= 0) return null;
  const windows = Math.max(1, ms / 60_000);
  return pointsOf(writes, reads) / (limitPerMinute * windows);
}

/** `1h05m`, `3m10s`, `42s`: short enough for a line that rewrites itself. */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The one line a person watches: phase first, then what it means for the rest of the run. */
export function formatProgress(s: ProgressSnapshot): string {
  const head = `${s.phase} · ${formatElapsed(s.elapsedMs)}`;
  if (s.phase === 'reading' || s.phase === 'planning') return head;
  const percent = s.threadsTotal > 0 ? Math.floor((s.threadsDone / s.threadsTotal) * 100) : 100;
  // Over the first minute, the threads sent so far: a rate over a few seconds of a full window means nothing.
  const perMinute = Math.round(s.threadsThisRun / Math.max(1, s.sendingMs / 60_000));
  const share = budgetShare(s.writes, s.reads, s.limitPerMinute, s.sendingMs);
  return [
    `${s.phase} ${percent}% · ${formatElapsed(s.elapsedMs)}`,
    `${perMinute} threads/min`,
    `${s.writesLeft} writes left`,
    `budget ${share === null ? '?' : `${Math.round(share * 100)}%`} of ${s.limitPerMinute}/min`,
    `${s.throttled} × 429`,
    `${s.inDoubt} in doubt`,
    `ETA ${formatElapsed(etaMs(s))}`,
  ].join(' · ');
}
