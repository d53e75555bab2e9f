import { join } from 'node:path';
import type { FailedThread } from '../state/failures.js';
import { safeCsvLine } from './csv.js';
import { ensureReportDir, writeAtomic } from './write-reports.js';

/** The row's columns under the default header names, then where it is in the export, then what failed. */
const HEADER = [
  'conversation_id',
  'thread_id',
  'created_at',
  'author_role',
  'author_email',
  'author_name',
  'customer_id',
  'customer_email',
  'first_name',
  'last_name',
  'subject',
  'tags',
  'status',
  'attachments',
  'text',
  'source_file',
  'source_row',
  'source_line',
  'helpscout_conversation_id',
  'failure_status',
  'failure_field',
  'failure_reason',
] as const;

/**
 * failures.csv: every thread Help Scout refused (or that could not be completed), one line each in export
 * order: the row as it was sent (the text as HTML), its place in the export, and Help Scout's status, the
 * fields it named and its message. Fixing the row in the export sends it again on the next run;
 * `--retry-failed` sends the unchanged ones again too.
 */
export function writeFailures(failed: readonly FailedThread[], dir: string): string {
  ensureReportDir(dir);
  let out = safeCsvLine(HEADER);
  for (const f of failed) {
    const { row } = f;
    out += safeCsvLine([
      row.conversationId,
      row.threadId,
      row.createdAt,
      row.role,
      row.authorEmail,
      row.authorName,
      row.customer.id,
      row.customer.email,
      row.customer.firstName,
      row.customer.lastName,
      row.subject,
      row.tags.join(';'),
      row.status,
      row.attachments.map((a) => a.relPath).join(';'),
      row.text,
      row.pos.file,
      row.pos.row,
      row.pos.line,
      f.hsConversationId,
      f.status,
      f.fields.join('; '),
      f.reason,
    ]);
  }
  const path = join(dir, 'failures.csv');
  writeAtomic(path, out);
  return path;
}
