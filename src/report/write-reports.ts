import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateStore } from '../state/store.js';
import { csvLine } from './csv.js';

/** Columns added to a rejected row; the source ignores unknown columns, so the file can be fixed and fed back. */
export const REJECT_COLUMNS = [
  'reject_file',
  'reject_row',
  'reject_line',
  'reject_field',
  'reject_reason',
] as const;

/** Writes a file through a temporary name, so a crash never leaves half a report. */
function writeAtomic(path: string, content: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, content, { mode: 0o644 });
  renameSync(temp, path);
}

export function writeMapping(store: StateStore, dir: string): string {
  const rows = store
    .prepare(
      `SELECT p.conversation_key AS source, p.part_no AS part, p.hs_conversation_id AS hs,
              count(t.id) AS threads, min(t.created_at) AS first, max(t.created_at) AS last, p.note AS note
       FROM parts p JOIN thread_parts tp ON tp.part_id = p.id JOIN threads t ON t.id = tp.thread_id AND t.state = 'done'
       WHERE p.hs_conversation_id IS NOT NULL
       GROUP BY p.id ORDER BY min(t.seq), p.part_no`,
    )
    .all() as {
    source: string;
    part: number;
    hs: number;
    threads: number;
    first: string;
    last: string;
    note: string | null;
  }[];
  let out = csvLine([
    'source_conversation_id',
    'part',
    'helpscout_conversation_id',
    'threads',
    'first_created_at',
    'last_created_at',
    'note',
  ]);
  for (const r of rows) out += csvLine([r.source, r.part, r.hs, r.threads, r.first, r.last, r.note ?? '']);
  const path = join(dir, 'mapping.csv');
  writeAtomic(path, out);
  return path;
}

export function writeRejects(store: StateStore, dir: string): string {
  const rows = store.prepare('SELECT * FROM rejects ORDER BY seq').all() as {
    file: string;
    row: number;
    line: number;
    field: string;
    reason: string;
    raw_json: string;
    headers_json: string;
  }[];
  // The union of the rejected rows' headers, in first-seen order: usually one export's header.
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    // Values beyond the header (a row with too many fields) come last, under their own names.
    const extra = Object.keys(JSON.parse(r.raw_json) as Record<string, string>);
    for (const h of [...(JSON.parse(r.headers_json) as string[]), ...extra]) {
      if (!seen.has(h)) {
        seen.add(h);
        headers.push(h);
      }
    }
  }
  let out = csvLine([...headers, ...REJECT_COLUMNS]);
  for (const r of rows) {
    const raw = JSON.parse(r.raw_json) as Record<string, string>;
    out += csvLine([...headers.map((h) => raw[h] ?? ''), r.file, r.row, r.line, r.field, r.reason]);
  }
  const path = join(dir, 'rejects.csv');
  writeAtomic(path, out);
  return path;
}

export function writeSummary(dir: string, summary: unknown): string {
  const path = join(dir, 'summary.json');
  writeAtomic(path, `${JSON.stringify(summary, null, 2)}\n`);
  return path;
}

export function ensureReportDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** mapping.csv, rejects.csv and summary.json, from the state file. */
export function writeReports(store: StateStore, dir: string, summary: unknown): void {
  ensureReportDir(dir);
  writeMapping(store, dir);
  writeRejects(store, dir);
  writeSummary(dir, summary);
}
