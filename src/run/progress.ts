import type { Logger } from 'pino';
import { pointsOf } from '../api/api-types.js';
import type { RateLimiter } from '../helpscout/rate-limiter.js';
import { planTotals } from '../state/plan-totals.js';
import type { StateStore } from '../state/store.js';
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

/**
 * The progress line: on a terminal it rewrites itself every second; otherwise a `progress` log event every
 * 30 seconds. Reads the ledger, so it shows what is recorded, not what is hoped.
 */
export function startProgress(
  store: StateStore,
  stats: RunStats,
  limiter: RateLimiter,
  log: Logger,
): () => void {
  const tty = process.stderr.isTTY === true;
  const render = () => {
    const left = planTotals(store);
    const eta = formatDuration(etaMinutes(left.writes, limiter.currentLimit));
    const line = `imported ${stats.threadsImported} threads this run, ${left.threads} to go in ${left.writes} writes; ETA ${eta} at ${limiter.currentLimit} points/min`;
    if (tty) process.stderr.write(`\r\u001b[2K${line}`);
    else
      log.info({
        event: 'progress',
        threadsImported: stats.threadsImported,
        threadsLeft: left.threads,
        writesLeft: left.writes,
        eta,
      });
  };
  const timer = setInterval(render, tty ? 1_000 : 30_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (tty) process.stderr.write('\n');
  };
}
