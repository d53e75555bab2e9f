import { CONVERSATION_STATUSES, type ConversationStatus } from '../api/api-types.js';
import { checkEmail, type FieldProblem, type RowValues, readCustomer } from './customer.js';
import { type DateRange, outOfRange } from './date-range.js';
import type { RoleResult } from './roles.js';
import { plainTextToHtml } from './text.js';
import { parseTimestamp } from './timestamps.js';
import type { ThreadRow } from './types.js';

export interface RowRules {
  timezone: string;
  textFormat: 'plain' | 'html';
  /** Dates a row may carry; absent: any (a reader that does not check them). */
  dateRange?: DateRange;
  resolveRole(word: string | undefined): RoleResult;
}

/** A row before its position, raw cells and attachments (checked on disk afterwards) are added. */
export type RowCore = Omit<ThreadRow, 'pos' | 'raw' | 'attachments'>;

// Rows of one conversation carry the same tags cell, one after another: the last one split is kept.
let lastCell: string | undefined;
let lastTags: readonly string[] = [];

function splitTags(cell: string | undefined): string[] {
  if (cell === undefined) return [];
  if (cell !== lastCell) {
    const tags = new Set<string>();
    for (const tag of cell.split(';')) {
      const trimmed = tag.trim();
      if (trimmed !== '') tags.add(trimmed);
    }
    lastCell = cell;
    lastTags = [...tags];
  }
  return lastTags.slice();
}

/** Checks one row's values (trimmed, empty = absent) and normalises them to what the API accepts. */
export function buildRow(values: RowValues, rules: RowRules): RowCore | FieldProblem {
  const conversationId = values.conversation_id;
  if (conversationId === undefined)
    return { field: 'conversation_id', reason: 'empty: the row belongs to no conversation' };
  if (values.created_at === undefined)
    return { field: 'created_at', reason: 'empty: the message has no date' };
  const createdAt = parseTimestamp(values.created_at, rules.timezone);
  if (!createdAt.ok) return { field: 'created_at', reason: createdAt.reason };
  const outside = rules.dateRange && outOfRange(createdAt.value, rules.dateRange);
  if (outside !== undefined) return { field: 'created_at', reason: outside };
  if (values.text === undefined) return { field: 'text', reason: 'empty: the message has no text' };
  const role = rules.resolveRole(values.author_role);
  if (!role.ok) return { field: 'author_role', reason: role.reason };
  if (values.author_email !== undefined) {
    const problem = checkEmail('author_email', values.author_email);
    if (problem) return problem;
  }
  const customer = readCustomer(values);
  if (!('customer' in customer)) return customer;
  let status: ConversationStatus | undefined;
  if (values.status !== undefined) {
    const lower = values.status.toLowerCase();
    if (!(CONVERSATION_STATUSES as readonly string[]).includes(lower)) {
      return {
        field: 'status',
        reason: `"${values.status}" is not one of ${CONVERSATION_STATUSES.join(', ')}`,
      };
    }
    status = lower as ConversationStatus;
  }

  const row: RowCore = {
    conversationId,
    createdAt: createdAt.value,
    text: rules.textFormat === 'plain' ? plainTextToHtml(values.text) : values.text,
    role: role.role,
    customer: customer.customer,
    tags: splitTags(values.tags),
  };
  if (values.thread_id !== undefined) row.threadId = values.thread_id;
  if (values.author_email !== undefined) row.authorEmail = values.author_email;
  if (values.author_name !== undefined) row.authorName = values.author_name;
  if (values.subject !== undefined) row.subject = values.subject;
  if (status !== undefined) row.status = status;
  return row;
}
