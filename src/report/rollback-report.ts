import { join } from 'node:path';
import { safeCsvLine } from './csv.js';
import { ensureReportDir, writeAtomic } from './write-reports.js';

/** What rollback did with one conversation, and the customer the import named by email (if it did). */
export interface RollbackReportLine {
  conversationId: number;
  subject: string;
  customerEmail: string;
  action: string;
}

/**
 * rollback.csv: one line per conversation the state file created. Help Scout keeps the customers an import
 * created when their conversations are deleted; this list is what the operator removes where that is allowed.
 */
export function writeRollbackReport(lines: readonly RollbackReportLine[], dir: string): string {
  ensureReportDir(dir);
  let out = safeCsvLine(['helpscout_conversation_id', 'subject', 'customer_email', 'action']);
  for (const l of lines) out += safeCsvLine([l.conversationId, l.subject, l.customerEmail, l.action]);
  const path = join(dir, 'rollback.csv');
  writeAtomic(path, out);
  return path;
}
