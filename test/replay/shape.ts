/**
 * Compares an emulator's JSON answer with a recorded one: the same keys at the same paths, the same JSON
 * types, and equal values except where the recording cannot be matched (ids, times, redacted text), and
 * `href`s by their path shape. Every difference names the path of its key.
 */

export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export interface Difference {
  path: string;
  kind: 'missing' | 'extra' | 'type' | 'value';
  recorded?: unknown;
  actual?: unknown;
}

export interface CompareOptions {
  /** Paths (array indexes written `[]`, e.g. `$.page.totalElements`) whose value is not compared. */
  exemptValuePaths?: ReadonlySet<string>;
  /** Recorded strings that only stand in for a value (markers' replacements, placeholder URLs). */
  placeholders?: ReadonlySet<string>;
}

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'boolean' || t === 'number' || t === 'string' || t === 'object') return t;
  throw new TypeError(`not a JSON value: ${t}`);
}

/** Ids differ between accounts; `closedBy` is a user id; `number` of a conversation is not (it is seeded). */
const isIdKey = (key: string) => key === 'id' || /Id$/.test(key) || key === 'closedBy';
/** Times (and `friendly`, which is relative to when the answer was made). */
const isTimeKey = (key: string) => /At$/.test(key) || key === 'time' || key === 'friendly';
const UNCOMPARED_KEYS = new Set(['photoUrl', 'access_token']);
/** The redaction's stand-ins (README of the recordings). */
const REDACTED = [/Redacted text \d+/, /^person\d+@example\.com$/, /^First\d+$/, /^Last\d+$/];

/**
 * An href reduced to what a client relies on: the path with numeric segments as `{id}` and hex digests as
 * `{hash}` (trailing slash kept), query parameter names with `page`'s value, and a URI template suffix. The origin is not compared
 * (the emulator serves its own).
 */
export function hrefShape(href: string): string {
  const template = /\{[^}]*\}$/.exec(href)?.[0] ?? '';
  const url = new URL(href.slice(0, href.length - template.length), 'http://origin.invalid');
  const path = url.pathname
    .split('/')
    .map((s) => (/^\d+$/.test(s) ? '{id}' : /^[0-9a-f]{16,}$/.test(s) ? '{hash}' : s))
    .join('/');
  const params = [...url.searchParams.entries()]
    .map(([k, v]) => (k === 'page' ? `${k}=${v}` : `${k}={v}`))
    .sort()
    .join('&');
  return `${path}${params ? `?${params}` : ''}${template}`;
}

function schematic(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

type ValueRule = 'equal' | 'exempt' | 'href';

function valueRule(path: string, key: string, recorded: unknown, o: CompareOptions): ValueRule {
  if (o.exemptValuePaths?.has(schematic(path))) return 'exempt';
  if (isIdKey(key) || isTimeKey(key) || UNCOMPARED_KEYS.has(key)) return 'exempt';
  if (key === 'href' && typeof recorded === 'string') return 'href';
  if (typeof recorded === 'string') {
    if (o.placeholders?.has(recorded)) return 'exempt';
    if (REDACTED.some((r) => r.test(recorded))) return 'exempt';
  }
  return 'equal';
}

/** Differences of `actual` (the emulator's answer) from `recorded`; empty when they agree. */
export function compareShape(recorded: unknown, actual: unknown, options: CompareOptions = {}): Difference[] {
  const out: Difference[] = [];
  walk(recorded, actual, '$', '', options, out);
  return out;
}

function walk(
  recorded: unknown,
  actual: unknown,
  path: string,
  key: string,
  o: CompareOptions,
  out: Difference[],
): void {
  const rt = jsonType(recorded);
  const at = jsonType(actual);
  if (rt !== at) {
    out.push({ path, kind: 'type', recorded: rt, actual: at });
    return;
  }
  if (rt === 'object') {
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      if (!(k in a)) out.push({ path: `${path}.${k}`, kind: 'missing', recorded: jsonType(r[k]) });
    }
    for (const k of Object.keys(a)) {
      if (!(k in r)) out.push({ path: `${path}.${k}`, kind: 'extra', actual: jsonType(a[k]) });
    }
    for (const k of Object.keys(r)) if (k in a) walk(r[k], a[k], `${path}.${k}`, k, o, out);
    return;
  }
  if (rt === 'array') {
    walkArray(recorded as unknown[], actual as unknown[], path, o, out);
    return;
  }
  const rule = valueRule(path, key, recorded, o);
  if (rule === 'exempt') return;
  if (rule === 'href') {
    const want = hrefShape(recorded as string);
    const got = hrefShape(actual as string);
    if (want !== got) out.push({ path, kind: 'value', recorded: want, actual: got });
    return;
  }
  if (recorded !== actual) out.push({ path, kind: 'value', recorded, actual });
}

/**
 * Lists need not match in count or order: every emulator item must match one recorded item, and is
 * reported against the closest one (fewest differences, its own index on a tie). An empty recorded list
 * accepts anything; an empty emulator list where the recording has items is a missing `[0]`.
 */
function walkArray(
  recorded: unknown[],
  actual: unknown[],
  path: string,
  o: CompareOptions,
  out: Difference[],
) {
  if (recorded.length === 0) return;
  if (actual.length === 0) {
    out.push({ path: `${path}[0]`, kind: 'missing', recorded: jsonType(recorded[0]) });
    return;
  }
  actual.forEach((item, i) => {
    let best: Difference[] | undefined;
    recorded.forEach((candidate, j) => {
      if (best?.length === 0) return;
      const diffs: Difference[] = [];
      walk(candidate, item, `${path}[${i}]`, '', o, diffs);
      if (!best || diffs.length < best.length || (diffs.length === best.length && j === i)) best = diffs;
    });
    out.push(...(best ?? []));
  });
}

/** One line per difference, for assertion messages. */
export function describeDifferences(diffs: Difference[]): string {
  return diffs
    .map((d) => {
      switch (d.kind) {
        case 'missing':
          return `${d.path}: missing (recorded ${String(d.recorded)})`;
        case 'extra':
          return `${d.path}: extra (emulator has ${String(d.actual)}, not recorded)`;
        case 'type':
          return `${d.path}: type ${String(d.actual)}, recorded ${String(d.recorded)}`;
        default:
          return `${d.path}: value ${JSON.stringify(d.actual)}, recorded ${JSON.stringify(d.recorded)}`;
      }
    })
    .join('\n');
}
