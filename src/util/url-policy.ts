import path from 'node:path';

/** Hosts that may be fetched over plain http: the machine itself (tests, a local mirror). */
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/**
 * `source.attachments.allowHosts`: exact host names, or `*.example.com` for the subdomains of example.com
 * (not example.com itself); compared case-insensitively, without port.
 */
export function createHostMatcher(allowHosts: readonly string[]): (hostname: string) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of allowHosts) {
    const host = entry.trim().toLowerCase();
    if (host.startsWith('*.')) suffixes.push(host.slice(1));
    else if (host !== '') exact.add(host);
  }
  return (hostname) => {
    const host = hostname.toLowerCase();
    return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
  };
}

/** Why a URL may not be fetched, or undefined when it may: https only (http for loopback), allowed host. */
export function urlProblem(url: URL, isAllowedHost: (hostname: string) => boolean): string | undefined {
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return `${url.protocol.replace(':', '')} is not allowed: files are fetched over https only`;
  if (url.username || url.password) return 'a URL with credentials in it is not fetched';
  if (!isAllowedHost(url.hostname)) return `host ${url.hostname} is not in source.attachments.allowHosts`;
  return undefined;
}

/** Whether a redirect stays where the file was asked for: same scheme, host and port. */
export function sameOrigin(from: URL, to: URL): boolean {
  return from.origin === to.origin;
}

const UNSAFE_NAME = /[\p{Cc}/\\:*?"<>|]+/gu;

/**
 * The file's name: Content-Disposition's, else a `name`/`filename` query parameter (Zendesk's attachment
 * links), else the URL path's last segment; made safe, never empty.
 */
export function remoteFileName(url: URL, disposition?: string): string {
  const fromHeader = disposition?.match(/filename\*?=(?:UTF-8''|")?([^";]+)/i)?.[1];
  const fromQuery = url.searchParams.get('name') ?? url.searchParams.get('filename');
  let name = fromHeader ?? path.posix.basename(url.pathname);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: keep the name as written.
  }
  if (fromHeader === undefined && fromQuery) name = fromQuery;
  const safe = name
    .replace(UNSAFE_NAME, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(-150);
  return safe === '' ? 'attachment' : safe;
}
