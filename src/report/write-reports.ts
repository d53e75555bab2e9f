import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MappingRow, ReportRows, StoredReject } from '../state/report-rows.js';
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

export function writeMapping(rows: readonly MappingRow[], dir: string): string {
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

export function writeRejects(rows: readonly StoredReject[], dir: string): string {
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
export function writeReports(rows: ReportRows, dir: string, summary: unknown): void {
  ensureReportDir(dir);
  writeMapping(rows.mapping(), dir);
  writeRejects(rows.rejects(), dir);
  writeSummary(dir, summary);
}
