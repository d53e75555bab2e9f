import type { StateStore } from './store.js';

/** Records the start of a command's run; its id marks what this run staged. */
export function startRun(store: StateStore, command: string, startedAt: string): number {
  return Number(
    store
      .prepare('INSERT INTO runs (started_at, pid, command) VALUES (?, ?, ?)')
      .run(startedAt, process.pid, command).lastInsertRowid,
  );
}

/** Records the end of a run with its summary (`exit_code` is left empty: the outcome is in the summary). */
export function finishRun(store: StateStore, runId: number, finishedAt: string, summaryJson: string): void {
  store
    .prepare('UPDATE runs SET finished_at = ?, stats_json = ? WHERE id = ?')
    .run(finishedAt, summaryJson, runId);
}

/** The summary the last finished run recorded, as JSON. */
export function lastRunSummary(store: StateStore): string | undefined {
  return store
    .prepare('SELECT stats_json FROM runs WHERE stats_json IS NOT NULL ORDER BY id DESC LIMIT 1')
    .pluck()
    .get() as string | undefined;
}
