import type { Logger } from 'pino';
import type { HelpScoutApi } from '../helpscout/client.js';
import type { StateStore } from '../state/store.js';
import { knownUsers, pendingAgentEmails, rememberUser } from '../state/users.js';
import { FatalError } from '../util/errors.js';

/**
 * Help Scout user ids for the authors of agent and note lines still to send, looked up once per email and
 * remembered in the state file. An author who is no Help Scout user is written as the token's owner.
 */
export async function resolveUsers(
  store: StateStore,
  client: HelpScoutApi,
  log: Logger,
): Promise<Map<string, number | undefined>> {
  const known = knownUsers(store);
  const wanted = pendingAgentEmails(store);
  for (const email of wanted) {
    if (known.has(email)) continue;
    const id = await client.findUserByEmail(email);
    rememberUser(store, email, id);
    known.set(email, id);
    if (id === undefined)
      log.warn(
        { event: 'user.unknown', email },
        'no Help Scout user with this email: lines go out as the token owner',
      );
  }
  return known;
}

/** `target.assignTo` as a user id: an email is looked up once; one that is no Help Scout user stops the run. */
export async function resolveAssignee(
  assignTo: number | string | null,
  client: HelpScoutApi,
): Promise<number | null> {
  if (typeof assignTo !== 'string') return assignTo;
  const id = await client.findUserByEmail(assignTo);
  if (id === undefined) {
    throw new FatalError(
      'CONFIG_INVALID',
      `target.assignTo: no Help Scout user has the email ${assignTo} (set a user id, an email of a user, or null).`,
    );
  }
  return id;
}
