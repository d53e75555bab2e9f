import type { Logger } from 'pino';
import type { HelpScoutApi } from '../helpscout/client.js';
import type { StateStore } from '../state/store.js';

/**
 * Help Scout user ids for the authors of agent and note lines still to send, looked up once per email and
 * remembered in the state file. An author who is no Help Scout user is written as the token's owner.
 */
export async function resolveUsers(
  store: StateStore,
  client: HelpScoutApi,
  log: Logger,
): Promise<Map<string, number | undefined>> {
  const known = new Map<string, number | undefined>();
  for (const r of store.prepare('SELECT email, user_id AS id FROM users').all() as {
    email: string;
    id: number | null;
  }[]) {
    known.set(r.email, r.id ?? undefined);
  }
  // The distinct authors of the replies and notes still to send (staging records them lowercased).
  const wanted = store
    .prepare(
      `SELECT DISTINCT agent_email FROM threads JOIN thread_parts tp ON tp.thread_id = threads.id
       WHERE state = 'pending' AND agent_email IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
  const remember = store.prepare('INSERT OR REPLACE INTO users (email, user_id) VALUES (?, ?)');
  for (const email of wanted) {
    if (known.has(email)) continue;
    const id = await client.findUserByEmail(email);
    remember.run(email, id ?? null);
    known.set(email, id);
    if (id === undefined)
      log.warn(
        { event: 'user.unknown', email },
        'no Help Scout user with this email: lines go out as the token owner',
      );
  }
  return known;
}
