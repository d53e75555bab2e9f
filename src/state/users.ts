import type { StateStore } from './store.js';

/** Help Scout users looked up so far, by lowercased email; undefined: no user has that email. */
export function knownUsers(store: StateStore): Map<string, number | undefined> {
  const known = new Map<string, number | undefined>();
  const rows = store.prepare('SELECT email, user_id AS id FROM users').all() as {
    email: string;
    id: number | null;
  }[];
  for (const r of rows) known.set(r.email, r.id ?? undefined);
  return known;
}

/** The distinct authors of the replies and notes still to send (staging records them lowercased). */
export function pendingAgentEmails(store: StateStore): string[] {
  return store
    .prepare(
      `SELECT DISTINCT agent_email FROM threads JOIN thread_parts tp ON tp.thread_id = threads.id
       WHERE state = 'pending' AND agent_email IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
}

export function rememberUser(store: StateStore, email: string, id: number | undefined): void {
  store.prepare('INSERT OR REPLACE INTO users (email, user_id) VALUES (?, ?)').run(email, id ?? null);
}

/** Forgets every user looked up: they belong to the account the state file was pointed at before. */
export function forgetUsers(store: StateStore): void {
  store.prepare('DELETE FROM users').run();
}
