import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvLine } from './csv.js';

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
  mkdirSync(dir, { recursive: true });
  let out = csvLine(['helpscout_conversation_id', 'subject', 'customer_email', 'action']);
  for (const l of lines) out += csvLine([l.conversationId, l.subject, l.customerEmail, l.action]);
  const path = join(dir, 'rollback.csv');
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, out, { mode: 0o600 });
  renameSync(temp, path);
  return path;
}
