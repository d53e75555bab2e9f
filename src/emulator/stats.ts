import type { FaultKind } from './faults.js';
import type { EmulatorStats } from './types.js';

/** One answered (or cut) /v2 request, as the web view's request page lists it. */
export interface RecentRequest {
  atMs: number;
  /** `METHOD /route/{pattern}`, as in `stats().requests`. */
  route: string;
  path: string;
  outcome: number | 'dropped' | 'reset' | 'stalled';
}

/** Enough to see what a run just did, bounded so a long run does not grow the emulator. */
const RECENT_KEPT = 500;

/** Counters for `stats()`: what was asked, what was answered, what was injected. */
export class StatsRecorder {
  private data: EmulatorStats = {
    totalRequests: 0,
    requests: {},
    pointsSpent: 0,
    rateLimited: 0,
    faults: { serverError: 0, dropAfterCommit: 0, resetBeforeCommit: 0, stall: 0 },
    tokenFaults: { rateLimited: 0, serverError: 0, stall: 0 },
    accessDenied: 0,
  };
  private readonly latest: RecentRequest[] = [];

  constructor(private readonly nowMs: () => number = Date.now) {}

  record(route: string, outcome: RecentRequest['outcome'], path = ''): void {
    this.data.totalRequests += 1;
    const byStatus = this.data.requests[route] ?? {};
    this.data.requests[route] = byStatus;
    const key = String(outcome);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    // The API's own limit; the token endpoint's injected 429s count under `tokenFaults`.
    if (outcome === 429 && !route.endsWith('/oauth2/token')) this.data.rateLimited += 1;
    this.latest.push({ atMs: this.nowMs(), route, path, outcome });
    if (this.latest.length > RECENT_KEPT) this.latest.splice(0, this.latest.length - RECENT_KEPT);
  }

  spend(points: number): void {
    this.data.pointsSpent += points;
  }

  fault(kind: FaultKind): void {
    this.data.faults[kind] += 1;
  }

  tokenFault(kind: keyof EmulatorStats['tokenFaults']): void {
    this.data.tokenFaults[kind] += 1;
  }

  denied(): void {
    this.data.accessDenied += 1;
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.data);
  }

  /** The latest requests, newest first. */
  recent(): RecentRequest[] {
    return this.latest.map((r) => ({ ...r })).reverse();
  }
}
