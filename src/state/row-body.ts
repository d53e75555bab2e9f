import type { ConversationStatus, CustomerRef } from '../api/api-types.js';
import type { ProfileSource } from '../plan/profile.js';
import type { AttachmentRef, StagedRow } from '../source/types.js';

/**
 * threads.row_json: what a staged row holds besides the thread's columns, as an array, absent fields null and
 * trailing ones left out. The conversation-level fields (customer, subject, tags, status) are in
 * profile_json, and the file is named by its number (source-files.ts).
 */
type RowBody = [
  file: number,
  row: number,
  line: number,
  role: StagedRow['role'],
  text: string,
  authorEmail?: string | null,
  authorName?: string | null,
  attachments?: AttachmentRef[],
];

/** row_json as written before: an object with the conversation-level fields and the file's name. */
interface RowBodyObject {
  file: string;
  row: number;
  line: number;
  text: string;
  role: StagedRow['role'];
  authorEmail?: string;
  authorName?: string;
  customer?: CustomerRef;
  subject?: string;
  tags?: string[];
  status?: ConversationStatus;
  attachments?: AttachmentRef[];
}

/** The columns of threads a row's body leaves out. */
export interface RowColumns {
  conversation_key: string;
  created_at: string;
  source_thread_id: string | null;
  seq: number;
  profile_json: string | null;
}

/**
 * A staged row as threads.row_json keeps it: without what the thread's columns already hold (conversation,
 * date, source id, place in the export, the conversation-level fields), its file by number. On a large
 * export the rows, and so the table planning reads, are a third smaller than with the file's name and
 * those fields in each.
 */
export function encodeRowBody(row: StagedRow, fileNumber: number): string {
  const body: RowBody = [fileNumber, row.pos.row, row.pos.line, row.role, row.text];
  if (row.attachments.length > 0) body.push(row.authorEmail ?? null, row.authorName ?? null, row.attachments);
  else if (row.authorName !== undefined) body.push(row.authorEmail ?? null, row.authorName);
  else if (row.authorEmail !== undefined) body.push(row.authorEmail);
  return JSON.stringify(body);
}

/**
 * The staged row back from its body and columns, `files` being the export's file names by number. Bodies
 * written before (an object) and rows staged whole (schemas 1 and 2) read as they are.
 */
export function decodeRowBody(json: string, columns: RowColumns, files: readonly string[]): StagedRow {
  const body = JSON.parse(json) as RowBody | RowBodyObject | StagedRow;
  if (!Array.isArray(body)) return 'pos' in body ? body : fromObject(body, columns);
  const [file, rowNumber, line, role, text, authorEmail, authorName, attachments] = body;
  const fileName = files[file];
  if (fileName === undefined) throw new Error(`row_json names file number ${file}, which is not recorded`);
  const profile: Partial<ProfileSource> =
    columns.profile_json === null ? {} : (JSON.parse(columns.profile_json) as ProfileSource);
  const row: StagedRow = {
    pos: { file: fileName, row: rowNumber, line, seq: columns.seq },
    conversationId: columns.conversation_key,
    createdAt: columns.created_at,
    text,
    role,
    customer: profile.customer ?? {},
    tags: profile.tags ?? [],
    attachments: attachments ?? [],
  };
  if (columns.source_thread_id !== null) row.threadId = columns.source_thread_id;
  if (authorEmail != null) row.authorEmail = authorEmail;
  if (authorName != null) row.authorName = authorName;
  if (profile.subject !== undefined) row.subject = profile.subject;
  if (profile.status !== undefined) row.status = profile.status;
  return row;
}

function fromObject(body: RowBodyObject, columns: RowColumns): StagedRow {
  const row: StagedRow = {
    pos: { file: body.file, row: body.row, line: body.line, seq: columns.seq },
    conversationId: columns.conversation_key,
    createdAt: columns.created_at,
    text: body.text,
    role: body.role,
    customer: body.customer ?? {},
    tags: body.tags ?? [],
    attachments: body.attachments ?? [],
  };
  if (columns.source_thread_id !== null) row.threadId = columns.source_thread_id;
  if (body.authorEmail !== undefined) row.authorEmail = body.authorEmail;
  if (body.authorName !== undefined) row.authorName = body.authorName;
  if (body.subject !== undefined) row.subject = body.subject;
  if (body.status !== undefined) row.status = body.status;
  return row;
}
