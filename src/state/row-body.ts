import type { ConversationStatus, CustomerRef } from '../helpscout/api-types.js';
import type { AttachmentRef, StagedRow } from '../source/types.js';
import { isEmptyObject } from '../util/objects.js';

/** What threads.row_json holds of a staged row (see encodeRowBody). */
interface RowBody {
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
}

/**
 * A staged row as threads.row_json keeps it: without what the thread's columns already hold (conversation,
 * date, source id, place in the export) and without empty fields. A large export writes a third less.
 */
export function encodeRowBody(row: StagedRow): string {
  const body: RowBody = {
    file: row.pos.file,
    row: row.pos.row,
    line: row.pos.line,
    text: row.text,
    role: row.role,
  };
  if (row.authorEmail !== undefined) body.authorEmail = row.authorEmail;
  if (row.authorName !== undefined) body.authorName = row.authorName;
  if (!isEmptyObject(row.customer)) body.customer = row.customer;
  if (row.subject !== undefined) body.subject = row.subject;
  if (row.tags.length > 0) body.tags = row.tags;
  if (row.status !== undefined) body.status = row.status;
  if (row.attachments.length > 0) body.attachments = row.attachments;
  return JSON.stringify(body);
}

/** The staged row back from its body and columns. A row staged whole (schema 1 and 2) reads as it is. */
export function decodeRowBody(json: string, columns: RowColumns): StagedRow {
  const body = JSON.parse(json) as RowBody | StagedRow;
  if ('pos' in body) return body;
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
