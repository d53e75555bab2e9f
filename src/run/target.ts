import type { ResolvedConfig } from '../config/load.js';
import type { StateStore } from '../state/store.js';
import { FatalError } from '../util/errors.js';

/**
 * A state file belongs to one target: sending its plan to another mailbox would duplicate or scatter it, and
 * deleting its conversation ids in another account would delete someone else's. `import` records the target
 * on its first run; every later command must name the same one.
 */
export function checkTarget(store: StateStore, config: ResolvedConfig, record: boolean): void {
  const target = JSON.stringify({ apiUrl: config.target.apiUrl, mailboxId: config.target.mailboxId ?? null });
  const recorded = store.getMeta('target');
  if (recorded === undefined) {
    if (record) store.setMeta('target', target);
    return;
  }
  if (recorded !== target) {
    const was = JSON.parse(recorded) as { apiUrl: string; mailboxId: number | null };
    throw new FatalError(
      'STATE_TARGET_MISMATCH',
      `State file ${store.path} belongs to mailbox ${was.mailboxId} at ${was.apiUrl}; this run targets mailbox ${config.target.mailboxId ?? null} at ${config.target.apiUrl}. Use another --state for another target.`,
    );
  }
}
