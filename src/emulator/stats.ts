import type { FaultKind } from './faults.js';
import type { EmulatorStats } from './types.js';

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

  record(route: string, outcome: number | 'dropped' | 'reset' | 'stalled'): void {
    this.data.totalRequests += 1;
    const byStatus = this.data.requests[route] ?? {};
    this.data.requests[route] = byStatus;
    const key = String(outcome);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    // The API's own limit; the token endpoint's injected 429s count under `tokenFaults`.
    if (outcome === 429 && !route.endsWith('/oauth2/token')) this.data.rateLimited += 1;
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
}
