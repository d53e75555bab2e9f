import { AUTHOR_ROLES, type AuthorRole } from '../config/schema.js';

export type RoleResult = { ok: true; role: AuthorRole } | { ok: false; reason: string };
export type RoleResolver = (word: string | undefined) => RoleResult;

/** Maps the export's role words (case-insensitive, trimmed) onto the four roles; empty means customer. */
export function createRoleResolver(customRoles: Record<string, AuthorRole>): RoleResolver {
  const words = new Map<string, AuthorRole>();
  for (const role of AUTHOR_ROLES) words.set(role, role);
  for (const [word, role] of Object.entries(customRoles)) words.set(word.trim().toLowerCase(), role);
  const accepted = [...words.keys()].join(', ');
  const cache = new Map<string, RoleResult>();
  return (word) => {
    if (word === undefined) return { ok: true, role: 'customer' };
    let result = cache.get(word);
    if (result === undefined) {
      const key = word.trim().toLowerCase();
      const role = key === '' ? 'customer' : words.get(key);
      result =
        role === undefined
          ? {
              ok: false,
              reason: `unknown role "${word}"; accepted: ${accepted} (map others with source.roles)`,
            }
          : { ok: true, role };
      if (cache.size < 1000) cache.set(word, result);
    }
    return result;
  };
}

/** `source.agentAddresses`: exact emails, or `@domain` for a whole domain; compared case-insensitively. */
export function createAgentMatcher(
  addresses: readonly string[],
): ((email: string | undefined) => boolean) | null {
  if (addresses.length === 0) return null;
  const emails = new Set<string>();
  const domains: string[] = [];
  for (const entry of addresses) {
    const normalised = entry.trim().toLowerCase();
    if (normalised.startsWith('@')) domains.push(normalised);
    else emails.add(normalised);
  }
  return (email) => {
    if (email === undefined) return false;
    const normalised = email.trim().toLowerCase();
    if (emails.has(normalised)) return true;
    return domains.some((domain) => normalised.endsWith(domain));
  };
}
