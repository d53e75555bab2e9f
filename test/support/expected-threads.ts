import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DEFAULT_SEED } from '../../src/emulator/index.js';

/** The emulator's users (the default seed): an agent line of anyone else keeps its author's name. */
const SEED_USERS = new Set(DEFAULT_SEED.users.map((u) => u.email.toLowerCase()).filter((e) => e !== ''));

/**
 * The end-to-end oracle: what Help Scout must hold after an import of a canonical CSV export, computed from
 * the documented rules (README "The export", product.md) with csv-parse's sync API and nothing of
 * src/source, so that a parsing bug of the importer shows up end to end instead of being copied into the
 * expectation.
 */
export interface ExpectedThread {
  conversationId: string;
  threadId?: string;
  /** `yyyy-MM-ddTHH:mm:ssZ`, as the API stores it. */
  createdAt: string;
  /** The body as the API takes it: the trimmed text, HTML-escaped, line breaks as `<br>`. */
  text: string;
  role: 'customer' | 'agent' | 'note' | 'system';
  status?: string;
  /** `file` and 1-based `row` name the record in messages; `seq` is its place in the whole export. */
  pos: { file: string; row: number; seq: number };
  attachments: { fileName: string; path: string; relPath: string }[];
}

export interface ExpectedImport {
  threads: ExpectedThread[];
  /** Rejected rows by the field that is wrong. */
  rejectsByField: Record<string, number>;
}

const ROLES = new Set(['customer', 'agent', 'note', 'system']);
const STATUSES = new Set(['active', 'pending', 'closed']);
const NAME_MAX = 40;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const STAMP = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/** The UTC offset (ms) of `zone` at `instant`, as Intl names it ("GMT+02:00"). */
function zoneOffset(zone: string, instant: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = name?.match(/GMT([+-])(\d\d):(\d\d)/);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** A documented timestamp form → the API's form; undefined when it is no real date. */
export function expectedTimestamp(cell: string, zone: string): string | undefined {
  const m = cell.match(STAMP);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[];
  const wall = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  const back = new Date(wall);
  // Date.UTC rolls 30 February over into March: a real date survives the round trip.
  if (back.getUTCDate() !== d || back.getUTCMonth() !== (mo as number) - 1 || (h as number) > 23) return;
  if ((mi as number) > 59 || (s as number) > 59) return undefined;
  const zonePart = m[7];
  let offset: number;
  if (zonePart === undefined) {
    const guess = zoneOffset(zone, wall);
    offset = zoneOffset(zone, wall - guess);
  } else if (zonePart.toUpperCase() === 'Z') {
    offset = 0;
  } else {
    const digits = zonePart.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0')) * 60_000;
  }
  return new Date(wall - offset).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML[c] as string).replace(/\r\n|[\r\n]/g, '<br>');
}

type Cells = Record<string, string | undefined>;

/** The field that makes the row invalid, if any (the first in the order the README lists the columns). */
function invalidField(cells: Cells, zone: string, folder: string): string | undefined {
  if (!cells.conversation_id) return 'conversation_id';
  if (!cells.created_at || !expectedTimestamp(cells.created_at, zone)) return 'created_at';
  if (!cells.text) return 'text';
  if (!ROLES.has((cells.author_role ?? 'customer').toLowerCase())) return 'author_role';
  if (cells.author_email && !EMAIL.test(cells.author_email)) return 'author_email';
  if (cells.customer_id && !/^[1-9]\d*$/.test(cells.customer_id)) return 'customer_id';
  if (cells.customer_email && !EMAIL.test(cells.customer_email)) return 'customer_email';
  if ((cells.first_name?.length ?? 0) > NAME_MAX) return 'first_name';
  if ((cells.last_name?.length ?? 0) > NAME_MAX) return 'last_name';
  if (cells.status && !STATUSES.has(cells.status.toLowerCase())) return 'status';
  for (const relPath of attachmentPaths(cells)) {
    const file = path.resolve(folder, relPath);
    if (!existsSync(file) || !statSync(file).isFile()) return 'attachments';
    if (!realpathSync(file).startsWith(realpathSync(folder) + path.sep)) return 'attachments';
  }
  return undefined;
}

function attachmentPaths(cells: Cells): string[] {
  return (cells.attachments ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Every valid row of the canonical-column export `files` (read in that order), and the rejects' fields. */
export function expectedImport(files: string[], timezone: string): ExpectedImport {
  const threads: ExpectedThread[] = [];
  const rejectsByField: Record<string, number> = {};
  let seq = 0;
  for (const file of files) {
    const folder = path.dirname(file);
    const records = parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];
    records.forEach((record, index) => {
      const cells: Cells = {};
      for (const [key, value] of Object.entries(record)) cells[key] = value.trim() || undefined;
      const pos = { file, row: index + 1, seq: seq++ };
      const bad = invalidField(cells, timezone, folder);
      if (bad) {
        rejectsByField[bad] = (rejectsByField[bad] ?? 0) + 1;
        return;
      }
      const thread: ExpectedThread = {
        conversationId: cells.conversation_id as string,
        createdAt: expectedTimestamp(cells.created_at as string, timezone) as string,
        text: toHtml(cells.text as string),
        role: (cells.author_role ?? 'customer').toLowerCase() as ExpectedThread['role'],
        pos,
        attachments: attachmentPaths(cells).map((relPath) => ({
          relPath,
          path: realpathSync(path.resolve(folder, relPath)),
          fileName: path.basename(relPath),
        })),
      };
      // An agent or note line whose author is no user of the emulator goes as the token's owner, with the
      // author's name at the head of the text (source.unknownAgents' default).
      const email = cells.author_email?.toLowerCase();
      const name = cells.author_name ?? cells.author_email;
      if ((thread.role === 'agent' || thread.role === 'note') && name && !(email && SEED_USERS.has(email))) {
        thread.text = `${toHtml(name.slice(0, 100))}: ${thread.text}`;
      }
      if (cells.thread_id) thread.threadId = cells.thread_id;
      if (cells.status) thread.status = cells.status.toLowerCase();
      threads.push(thread);
    });
  }
  return { threads, rejectsByField };
}

/** product.md: per-conversation values are the first non-empty in date order. */
export function firstInDateOrder<K extends keyof ExpectedThread>(
  threads: ExpectedThread[],
  key: K,
): Map<string, NonNullable<ExpectedThread[K]>> {
  const found = new Map<string, NonNullable<ExpectedThread[K]>>();
  const byDate = [...threads].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  );
  for (const thread of byDate) {
    const value = thread[key];
    if (value !== undefined && value !== null && !found.has(thread.conversationId))
      found.set(thread.conversationId, value as NonNullable<ExpectedThread[K]>);
  }
  return found;
}
