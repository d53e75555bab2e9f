import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { MappingRow, ReportRows, StoredReject } from '../state/report-rows.js';
import { FatalError } from '../util/errors.js';
import { safeCsvLine } from './csv.js';

/** Columns added to a rejected row; the source ignores unknown columns, so the file can be fixed and fed back. */
export const REJECT_COLUMNS = [
  'reject_file',
  'reject_row',
  'reject_line',
  'reject_field',
  'reject_reason',
] as const;

/** The reports the folder receives: each must be a file, or not there yet. */
export const REPORT_FILES = [
  'mapping.csv',
  'rejects.csv',
  'changed.csv',
  'failures.csv',
  'rollback.csv',
  'summary.json',
  'run.log',
] as const;

/**
 * Writes a file through a temporary name, so a crash never leaves half a report. Private (0600): rejects.csv
 * holds customers' emails, names, phones and messages.
 */
export function writeAtomic(path: string, content: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, content, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** Help Scout's own number of a conversation and the link an agent opens, where a read has told them. */
export interface ConversationLink {
  number: number;
  url: string;
}

/** Help Scout's web address of a conversation, from its id and number. */
export function webUrlOf(id: number, number: number): string {
  return `https://secure.helpscout.net/conversation/${id}/${number}`;
}

/**
 * mapping.csv, one row per part, sorted by source conversation (numbers in number order), then part. The
 * number and link are filled where known: `report --links` reads them (one read a conversation).
 */
export function writeMapping(
  rows: readonly MappingRow[],
  dir: string,
  links: ReadonlyMap<number, ConversationLink> = new Map(),
): string {
  const sorted = [...rows].sort(
    (a, b) => a.source.localeCompare(b.source, 'en', { numeric: true }) || a.part - b.part,
  );
  let out = safeCsvLine([
    'source_conversation_id',
    'part',
    'helpscout_conversation_id',
    'threads',
    'first_created_at',
    'last_created_at',
    'note',
    'helpscout_number',
    'helpscout_url',
  ]);
  for (const r of sorted) {
    const link = links.get(r.hs);
    out += safeCsvLine([
      r.source,
      r.part,
      r.hs,
      r.threads,
      r.first,
      r.last,
      r.note ?? '',
      link?.number ?? '',
      link?.url ?? '',
    ]);
  }
  const path = join(dir, 'mapping.csv');
  writeAtomic(path, out);
  return path;
}

export function writeRejects(rows: readonly StoredReject[], dir: string): string {
  // The union of the rejected rows' headers, in first-seen order: usually one export's header.
  const headers: string[] = [];
  // A report fed back as the source carries the reject columns of its own reading: they are written anew.
  const seen = new Set<string>(REJECT_COLUMNS);
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
  let out = safeCsvLine([...headers, ...REJECT_COLUMNS]);
  for (const r of rows) {
    const raw = JSON.parse(r.raw_json) as Record<string, string>;
    out += safeCsvLine([...headers.map((h) => raw[h] ?? ''), r.file, r.row, r.line, r.field, r.reason]);
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

/** The report folder, made private (0700) when this process creates it. */
export function ensureReportDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Finds a report folder that cannot be written (read-only, a file in its place, a folder in a report's place)
 * before anything is staged or sent: afterwards the reports would be lost at the end of the run.
 */
export function checkReportDir(dir: string): void {
  const refuse = (why: string, cause?: unknown): never => {
    throw new FatalError(
      'REPORT_DIR_UNWRITABLE',
      `Report folder ${dir}: ${why}. Nothing was sent; fix it or choose another with --report-dir.`,
      { path: dir },
      cause === undefined ? undefined : { cause },
    );
  };
  let isFolder: boolean | undefined;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    // Not there yet: created below.
  }
  if (isFolder === false) refuse('is a file, not a folder');
  try {
    ensureReportDir(dir);
  } catch (error) {
    refuse(`cannot be created (${(error as NodeJS.ErrnoException).code})`, error);
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '', { mode: 0o600 });
    unlinkSync(probe);
  } catch (error) {
    refuse(`cannot be written (${(error as NodeJS.ErrnoException).code})`, error);
  }
  for (const name of REPORT_FILES) {
    const path = join(dir, name);
    let isFile = true;
    try {
      isFile = statSync(path).isFile();
    } catch {
      continue;
    }
    if (!isFile) refuse(`${path} is in the place of a report but is not a file`);
  }
}

/** mapping.csv, rejects.csv and summary.json, from the state file. */
export function writeReports(
  rows: ReportRows,
  dir: string,
  summary: unknown,
  links?: ReadonlyMap<number, ConversationLink>,
): void {
  ensureReportDir(dir);
  writeMapping(rows.mapping(), dir, links);
  writeRejects(rows.rejects(), dir);
  writeSummary(dir, summary);
}
