import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Emulator, EmulatorState } from '../../src/emulator/index.js';
import type { ExpectedThread } from './expected-threads.js';

/** Thread types as stored by Help Scout for each source role (a reply is stored as `message`). */
const STORED_TYPE: Record<ExpectedThread['role'], string> = {
  customer: 'chat',
  agent: 'message',
  note: 'note',
  system: 'note',
};

export interface MappingRow {
  source: string;
  part: number;
  hs: number;
  threads: number;
}

export function readMapping(path: string): MappingRow[] {
  const rows = parse(readFileSync(path), { columns: true }) as Record<string, string>[];
  return rows.map((r) => ({
    source: r.source_conversation_id as string,
    part: Number(r.part),
    hs: Number(r.helpscout_conversation_id),
    threads: Number(r.threads),
  }));
}

/** Orders as product.md says, written independently of the importer's own code. */
function expectedOrder(a: ExpectedThread, b: ExpectedThread): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  const ai = a.threadId;
  const bi = b.threadId;
  if (ai !== bi) {
    if (ai === undefined) return 1;
    if (bi === undefined) return -1;
    if (/^\d+$/.test(ai) && /^\d+$/.test(bi)) return Number(ai) - Number(bi);
    return ai < bi ? -1 : 1;
  }
  return a.pos.seq - b.pos.seq;
}

/**
 * Checks the emulator's state against the export: every valid thread exactly once, in date order, with its
 * exact time, imported, attachments byte-identical, every part within the thread cap, and no conversation
 * in Help Scout that the mapping does not account for. Returns the problems found (none = a correct import).
 */
export function checkImport(
  state: EmulatorState,
  validRows: ExpectedThread[],
  mapping: MappingRow[],
  defaultStatus = 'closed',
  /** `as-read`: bodies compared as a reader sees them, for an emulator that rewrites markup and quotes. */
  compare: 'exact' | 'as-read' = 'exact',
): string[] {
  const bodies = compare === 'exact' ? (b: string) => b : asRead;
  const problems: string[] = [];
  const expected = new Map<string, ExpectedThread[]>();
  for (const row of validRows) {
    const list = expected.get(row.conversationId) ?? [];
    list.push(row);
    expected.set(row.conversationId, list);
  }
  const byId = new Map(state.conversations.map((c) => [c.id, c]));
  const mapped = new Set(mapping.map((m) => m.hs));
  for (const c of state.conversations) {
    if (!mapped.has(c.id))
      problems.push(`Help Scout conversation ${c.id} ("${c.subject}") is in no mapping row: a duplicate?`);
  }
  for (const [conversationId, rows] of expected) {
    rows.sort(expectedOrder);
    const parts = mapping.filter((m) => m.source === conversationId).sort((a, b) => a.part - b.part);
    // The conversation's own status (first non-empty in date order), else the target's.
    const status = rows.find((r) => r.status)?.status ?? defaultStatus;
    const actual = parts.flatMap((p) => {
      const c = byId.get(p.hs);
      if (!c) {
        problems.push(`${conversationId} part ${p.part}: Help Scout conversation ${p.hs} does not exist`);
        return [];
      }
      if (c.status !== status)
        problems.push(`${conversationId} part ${p.part}: status ${c.status}, expected ${status}`);
      if (c.assigneeId !== null)
        problems.push(`${conversationId} part ${p.part}: assigned to user ${c.assigneeId}, expected nobody`);
      if (c.threads.length > 100)
        problems.push(`${conversationId} part ${p.part}: ${c.threads.length} threads (cap 100)`);
      return c.threads;
    });
    if (actual.length !== rows.length) {
      problems.push(
        `${conversationId}: ${actual.length} threads in Help Scout, ${rows.length} in the export`,
      );
    }
    const n = Math.min(actual.length, rows.length);
    for (let i = 0; i < n; i++) {
      const want = rows[i] as ExpectedThread;
      const got = actual[i];
      if (!got) continue;
      const where = `${conversationId} thread ${i + 1} (${want.pos.file} row ${want.pos.row})`;
      if (got.createdAt !== want.createdAt)
        problems.push(`${where}: createdAt ${got.createdAt}, expected ${want.createdAt}`);
      if (bodies(got.body) !== bodies(want.text))
        problems.push(`${where}: body differs: ${JSON.stringify(got.body.slice(0, 60))}`);
      if (got.type !== STORED_TYPE[want.role])
        problems.push(`${where}: type ${got.type}, expected ${STORED_TYPE[want.role]}`);
      if (!got.imported) problems.push(`${where}: not imported`);
      if (got.attachments.length !== want.attachments.length) {
        problems.push(`${where}: ${got.attachments.length} attachments, expected ${want.attachments.length}`);
      }
      want.attachments.forEach((a, k) => {
        const stored = got.attachments[k];
        if (!stored) return;
        if (stored.fileName !== a.fileName)
          problems.push(`${where}: attachment ${k} named ${stored.fileName}`);
        if (!Buffer.from(stored.data, 'base64').equals(readFileSync(a.path))) {
          problems.push(`${where}: attachment ${a.relPath} is not byte-identical`);
        }
      });
    }
  }
  return problems;
}

/** Writes (POST, PUT, DELETE, PATCH) the emulator received, whatever their answer; the token endpoint aside. */
export function writesReceived(emulator: Emulator): number {
  let writes = 0;
  for (const [route, byStatus] of Object.entries(emulator.stats().requests)) {
    if (!/^(POST|PUT|DELETE|PATCH) /.test(route) || route.includes('oauth2')) continue;
    for (const count of Object.values(byStatus)) writes += count;
  }
  return writes;
}

/** The test's own reading of a body: breaks in any spelling, quotes and apostrophes in any escaping. */
function asRead(body: string): string {
  return body
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}
