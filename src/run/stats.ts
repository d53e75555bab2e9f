/** Counters of one run, reported in summary.json and the closing log line. */
export interface RunStats {
  partsCreated: number;
  threadsImported: number;
  threadsFailed: number;
  inDoubt: number;
  resolvedFound: number;
  resolvedNotCreated: number;
  continuations: number;
  /** Creates refused as too large (413) whose part was planned again smaller (create-too-large.ts). */
  plannedAgain: number;
  moved: number;
  /** Conversations whose create is in doubt and not yet listed, waiting to be read again (now). */
  waitingReadBack: number;
}

export function emptyRunStats(): RunStats {
  return {
    partsCreated: 0,
    threadsImported: 0,
    threadsFailed: 0,
    inDoubt: 0,
    resolvedFound: 0,
    resolvedNotCreated: 0,
    continuations: 0,
    plannedAgain: 0,
    moved: 0,
    waitingReadBack: 0,
  };
}
