import { hrefShape } from './shape.js';

export type Headers = Record<string, string[]>;

/** A media type and its parameters, case and spaces around `;` and `=` not significant. */
function mediaType(value: string): { type: string; params: Map<string, string> } {
  const [type = '', ...rest] = value.split(';').map((s) => s.trim());
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0)
      params.set(
        p.slice(0, eq).trim().toLowerCase(),
        p
          .slice(eq + 1)
          .trim()
          .toLowerCase(),
      );
  }
  return { type: type.toLowerCase(), params };
}

/**
 * Content-Type: the same media type, and every parameter the recording has with the same value (case and
 * spacing aside). A parameter the recording lacks is accepted: the 2020 answer dropped the `charset` that
 * the 2019 answers of the same endpoints carried, so clients must take either.
 */
export function contentTypeProblem(
  recorded: string | undefined,
  actual: string | undefined,
): string | undefined {
  if (recorded === undefined) return actual === undefined ? undefined : `Content-Type ${actual} not recorded`;
  if (actual === undefined) return `Content-Type missing (recorded ${recorded})`;
  const r = mediaType(recorded);
  const a = mediaType(actual);
  if (r.type !== a.type) return `Content-Type ${actual}, recorded ${recorded}`;
  for (const [name, value] of r.params) {
    if (a.params.get(name) !== value)
      return `Content-Type ${actual}, recorded ${recorded} (parameter ${name})`;
  }
  return undefined;
}

const first = (h: Headers, name: string): string | undefined => h[name]?.[0];

/** Headers present exactly when the recording has them. */
const PRESENCE = [
  'resource-id',
  'location',
  'x-ratelimit-limit-minute',
  'x-ratelimit-remaining-minute',
  'correlation-id',
  'cache-control',
];

/**
 * The headers clients rely on, compared with the recording. `X-RateLimit-Remaining-Minute` is only checked
 * for presence here: its value depends on the calls before it (see the replay suite).
 */
export function headerProblems(recorded: Headers, actual: Headers): string[] {
  const problems: string[] = [];
  const ct = contentTypeProblem(first(recorded, 'content-type'), first(actual, 'content-type'));
  if (ct) problems.push(ct);
  for (const name of PRESENCE) {
    const r = first(recorded, name);
    const a = first(actual, name);
    if ((r === undefined) !== (a === undefined)) {
      problems.push(r === undefined ? `${name}: ${a} not recorded` : `${name}: missing (recorded ${r})`);
    }
  }
  const rLocation = first(recorded, 'location');
  const aLocation = first(actual, 'location');
  if (rLocation && aLocation && hrefShape(rLocation) !== hrefShape(aLocation)) {
    problems.push(`location: ${hrefShape(aLocation)}, recorded ${hrefShape(rLocation)}`);
  }
  const aId = first(actual, 'resource-id');
  if (first(recorded, 'resource-id') && aId !== undefined) {
    if (!/^\d+$/.test(aId)) problems.push(`resource-id: ${aId} is not a number`);
    else if (aLocation && !aLocation.endsWith(`/${aId}`))
      problems.push(`resource-id ${aId} is not the id in location`);
  }
  for (const name of ['x-ratelimit-limit-minute', 'cache-control']) {
    const r = first(recorded, name);
    const a = first(actual, name);
    if (r !== undefined && a !== undefined && r !== a) problems.push(`${name}: ${a}, recorded ${r}`);
  }
  return problems;
}
