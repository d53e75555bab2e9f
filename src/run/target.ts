import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.js';
import { mailboxExists } from '../helpscout/account-checks.js';
import type { HelpScoutClient } from '../helpscout/client.js';
import { forgetCustomers } from '../state/customers.js';
import type { StateStore } from '../state/store.js';
import { forgetUsers } from '../state/users.js';
import { everSent } from '../state/write-log.js';
import { FatalError } from '../util/errors.js';

interface Target {
  apiUrl: string;
  mailboxId: number | null;
}

function targetOf(config: ResolvedConfig): string {
  return JSON.stringify({ apiUrl: config.target.apiUrl, mailboxId: config.target.mailboxId ?? null });
}

/**
 * A state file belongs to one target: sending its plan to another mailbox would duplicate or scatter it, and
 * deleting its conversation ids in another account would delete someone else's. `import` records the target
 * on its first run; every later command must name the same one.
 */
export function checkTarget(store: StateStore, config: ResolvedConfig, record: boolean): void {
  const recorded = store.getMeta('target');
  if (recorded === undefined) {
    if (record) store.setMeta('target', targetOf(config));
    return;
  }
  if (recorded !== targetOf(config)) throw mismatch(store, config, recorded);
}

/**
 * import's check, in two steps: `check` before anything else (a state file that sent to another target is
 * refused), `record` once the target is known to exist. A file that never sent anything holds nothing of its
 * target's (no conversation id, no write), so it may be pointed at another one: a first run against a wrong
 * mailbox must not lock the file to it.
 */
export function importTarget(store: StateStore, config: ResolvedConfig, log: Logger): { record(): void } {
  const wanted = targetOf(config);
  const recorded = store.getMeta('target');
  if (recorded !== undefined && recorded !== wanted && everSent(store))
    throw mismatch(store, config, recorded);
  return {
    record() {
      if (recorded === wanted) return;
      if (recorded !== undefined) {
        const was = JSON.parse(recorded) as Target;
        log.warn(
          { event: 'state.retargeted', from: was, to: JSON.parse(wanted) as Target },
          `the state file ${store.path} was for mailbox ${was.mailboxId} at ${was.apiUrl} but never sent anything: it now belongs to mailbox ${config.target.mailboxId ?? null} at ${config.target.apiUrl}`,
        );
        // Users and customers are the old account's: looked up again in the new one.
        forgetUsers(store);
        forgetCustomers(store);
      }
      store.setMeta('target', wanted);
    },
  };
}

function mismatch(store: StateStore, config: ResolvedConfig, recorded: string): FatalError {
  const was = JSON.parse(recorded) as Target;
  return new FatalError(
    'STATE_TARGET_MISMATCH',
    `State file ${store.path} belongs to mailbox ${was.mailboxId} at ${was.apiUrl}; this run targets mailbox ${config.target.mailboxId ?? null} at ${config.target.apiUrl}. Use another --state for another target.`,
  );
}

/** One read: a wrong mailbox is an account-level refusal, found before anything is staged or recorded. */
export async function checkMailbox(client: HelpScoutClient, mailboxId: number): Promise<void> {
  if (await mailboxExists(client, mailboxId)) return;
  throw new FatalError(
    'MAILBOX_UNKNOWN',
    `Mailbox ${mailboxId} is not in this Help Scout account (GET /v2/mailboxes/${mailboxId} answered 404): nothing was staged or sent. "hs-import mailboxes" lists the account's mailboxes; give one with target.mailboxId or --mailbox.`,
    { mailboxId },
  );
}
