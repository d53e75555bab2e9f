import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The recordings, copied into the repository (`fixtures/recorded-traffic`, its README is the source note). */
export const CASSETTE_DIR = fileURLToPath(new URL('../../fixtures/recorded-traffic/', import.meta.url));

/**
 * What each marker of the recordings stands for here. Numbers for the ids (they stand unquoted in bodies);
 * strings for the rest. Credentials map to the replay emulator's own; the access token is replaced by the
 * one the replayed token call obtained.
 */
export const MARKERS = {
  TEST_MAILBOX_ID: 150115,
  TEST_CONVERSATION_ID: 868000120,
  TEST_CUSTOMER_ID: 116116,
  TEST_USER_ID: 112112,
  TEST_THREAD_ID: 2500000114,
  TEST_CUSTOMER_EMAIL: 'test.customer@example.com',
  HELP_SCOUT_APP_ID: 'recorded-app-id',
  HELP_SCOUT_APP_SECRET: 'recorded-app-secret',
  HELP_SCOUT_ACCESS_TOKEN: 'recorded-access-token',
} as const;

/** Values the recordings hold only as placeholders: never compared. */
export const PLACEHOLDER_VALUES: ReadonlySet<string> = new Set([
  MARKERS.TEST_CUSTOMER_EMAIL,
  MARKERS.HELP_SCOUT_ACCESS_TOKEN,
  'https://example.com/photo.jpg',
]);

export interface RecordedRequest {
  method: string;
  /** Path and query below the origin, e.g. `/v2/conversations?mailbox=150115`. */
  pathAndQuery: string;
  /** The body as sent (markers replaced), `''` for none. */
  body: string;
  /** Lower-case names; the recorder normalised their case. */
  headers: Record<string, string[]>;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string[]>;
  body: string;
  /** Parsed body, undefined when empty. */
  json: unknown;
}

export interface Interaction {
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface Cassette {
  /** File name without `.yml`, e.g. `conversation-get`. */
  name: string;
  interactions: Interaction[];
}

function replaceMarkers(text: string): string {
  return text.replace(/<([A-Z_]+)>/g, (whole, key: string) => {
    if (!(key in MARKERS)) throw new Error(`unknown marker ${whole} in a recording`);
    return String(MARKERS[key as keyof typeof MARKERS]);
  });
}

function lowerHeaders(raw: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    out[name.toLowerCase()] = values.map((v) => replaceMarkers(String(v)));
  }
  return out;
}

/**
 * Three recordings close a folded single-quoted body with a `'` in column 0, which the YAML 1.2 parser
 * refuses (less indented than its mapping); indenting that lone quote changes nothing in the value.
 */
function repairIndentation(text: string): string {
  return text.replace(/^'$/gm, "        '");
}

export function loadCassette(file: string): Cassette {
  const doc = parse(repairIndentation(readFileSync(`${CASSETTE_DIR}${file}`, 'utf8'))) as {
    http_interactions?: {
      request: { method: string; uri: string; body?: { string?: string }; headers?: unknown };
      response: { status: { code: number }; headers?: unknown; body?: { string?: string } };
    }[];
  };
  if (!Array.isArray(doc.http_interactions)) throw new Error(`${file}: no http_interactions`);
  const interactions = doc.http_interactions.map((i): Interaction => {
    const uri = new URL(replaceMarkers(i.request.uri));
    const body = replaceMarkers(i.response.body?.string ?? '');
    return {
      request: {
        method: i.request.method.toUpperCase(),
        pathAndQuery: `${uri.pathname}${uri.search}`,
        body: replaceMarkers(i.request.body?.string ?? ''),
        headers: lowerHeaders(i.request.headers),
      },
      response: {
        status: i.response.status.code,
        headers: lowerHeaders(i.response.headers),
        body,
        json: body.trim() === '' ? undefined : JSON.parse(body),
      },
    };
  });
  return { name: file.replace(/\.yml$/, ''), interactions };
}

/** Every recording in the folder, by name; fails loudly when the folder is missing or empty. */
export function loadAllCassettes(): Cassette[] {
  if (!existsSync(CASSETTE_DIR)) {
    throw new Error(`recorded traffic not found at ${CASSETTE_DIR} (expected fixtures/recorded-traffic)`);
  }
  const files = readdirSync(CASSETTE_DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  if (files.length === 0) throw new Error(`no .yml recordings in ${CASSETTE_DIR}`);
  return files.map(loadCassette);
}
