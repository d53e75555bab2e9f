import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { planTotals } from '../state/plan-totals.js';
import { listRejects, type RejectLine } from '../state/rejects.js';
import { startRun } from '../state/runs.js';
import { StateStore } from '../state/store.js';
import { systemClock } from '../util/clock.js';
import { planOptionsOf, requestLimitsOf } from './import.js';
import { planPending } from './plan.js';
import { stageExport } from './stage.js';
import type { ValidateCounts } from './whole-records/record-tally.js';

/** What validate found, however it was found. */
export interface ValidateFigures<Online> {
  counts: ValidateCounts;
  /** Later copies of a message, imported once (only staging finds them: see validate-whole-records.ts). */
  repeated: number;
  rejects: RejectLine[];
  /** What `online` found, when asked. */
  online?: Online;
}

/**
 * `validate` by staging and planning in a throw-away state file, never the real one: a file rather than
 * memory, so a large export is planned in the same bounded memory as a real import.
 */
export async function validateStaged<Online>(
  config: ResolvedConfig,
  online?: (store: StateStore) => Promise<Online>,
): Promise<ValidateFigures<Online>> {
  const scratch = mkdtempSync(join(tmpdir(), 'hs-import-validate-'));
  const store = StateStore.open(join(scratch, 'plan.sqlite'));
  try {
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
    const found = online ? await online(store) : undefined;
    const totals = planTotals(store);
    const counts: ValidateCounts = {
      rowsRead: staged.rowsRead,
      rowsValid: staged.rowsValid,
      rejected: staged.rejected,
      subjectsCut: staged.subjectsCut,
      conversations: planned.conversations,
      conversationsRejected: planned.conversationsRejected,
      rowsRejected: planned.rowsRejected,
      parts: totals.parts,
      splitConversations: totals.splitConversations,
      threads: totals.threads,
      inline: totals.inline,
    };
    const figures: ValidateFigures<Online> = {
      counts,
      repeated: staged.repeated,
      rejects: listRejects(store),
    };
    if (found) figures.online = found;
    return figures;
  } finally {
    store.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
