import { join } from 'node:path';
import type { ChangedThread } from '../state/changed-threads.js';
import { safeCsvLine } from './csv.js';
import { ensureReportDir, writeAtomic } from './write-reports.js';

/** A message found again with other text than the one imported: never sent again, listed here. */
export type ChangedLine = ChangedThread;

/**
 * changed.csv: every message the export now says otherwise (an encoding repaired, a space trimmed, HTML
 * rendered anew). Help Scout keeps the text it was sent; this list is what to look at, if anything.
 */
export function writeChangedReport(lines: readonly ChangedLine[], dir: string): string {
  ensureReportDir(dir);
  let out = safeCsvLine([
    'source_conversation_id',
    'created_at',
    'role',
    'state',
    'helpscout_conversation_id',
    'text_imported',
    'text_now',
  ]);
  for (const l of lines) {
    out += safeCsvLine([
      l.conversation,
      l.createdAt,
      l.role,
      l.state,
      l.hsConversationId,
      l.sentText,
      l.newText,
    ]);
  }
  const path = join(dir, 'changed.csv');
  writeAtomic(path, out);
  return path;
}
