import { createHash } from 'node:crypto';
import { API_LIMITS } from '../helpscout/api-types.js';
import type { ProfileSource } from '../plan/profile.js';
import { estimateThreadBytes } from '../plan/size.js';
import type { StagedRow } from '../source/types.js';

/** A valid row in the form the threads and thread_bodies tables take it. */
export interface PreparedThread {
  baseKey: string;
  conversation: string;
  seq: number;
  createdAt: string;
  threadId: string | null;
  bytes: number;
  profile: string | null;
  agentEmail: string | null;
  /** The StagedRow as JSON. */
  row: string;
  /** The cells as read, or null when the row names its customer (see rawCellsWhenNeeded). */
  raw: string | null;
}

/** A thread's identity across reruns: its source id when the export has one, else what it says and when. */
export function threadBaseKey(row: StagedRow): string {
  if (row.threadId) return `${row.conversationId}\u001fid:${row.threadId}`;
  const digest = createHash('sha1')
    .update(`${row.createdAt}\u001f${row.role}\u001f${row.text}`)
    .digest('base64url');
  return `${row.conversationId}\u001fh:${digest}`;
}

/** The row says who the customer is (what conversationProfile looks for). */
function namesCustomer(row: StagedRow): boolean {
  return row.customer.id !== undefined || row.customer.email !== undefined;
}

/** The conversation-level fields a row carries, or null when it carries none. */
function profileOf(row: StagedRow): string | null {
  const profile: ProfileSource = { customer: row.customer, tags: row.tags };
  if (row.subject) profile.subject = row.subject;
  if (row.status) profile.status = row.status;
  // namesCustomer first: it settles the common row without listing the customer's keys.
  const empty =
    !row.subject &&
    !row.status &&
    row.tags.length === 0 &&
    !namesCustomer(row) &&
    Object.keys(row.customer).length === 0;
  return empty ? null : JSON.stringify(profile);
}

/**
 * The raw cells are kept only for what a later stage may still reject: a conversation none of whose rows
 * names the customer. A row that names one can never be part of such a conversation.
 */
function rawCellsWhenNeeded(row: StagedRow, rawValues: readonly string[]): string | null {
  return namesCustomer(row) ? null : JSON.stringify(rawValues);
}

/**
 * What staging writes for a valid row, or why no Help Scout request could carry it (its files are too large
 * for any request body).
 */
export function prepareThread(
  row: StagedRow,
  rawValues: readonly string[],
): PreparedThread | { field: string; reason: string } {
  const bytes = estimateThreadBytes(row);
  if (bytes > API_LIMITS.requestBytes) {
    return {
      field: 'attachments',
      reason: `the message with its attachments needs ${Math.ceil(bytes / 1024)} KiB, more than the ${API_LIMITS.requestBytes / 1024 / 1024} MiB a Help Scout request accepts`,
    };
  }
  return {
    baseKey: threadBaseKey(row),
    conversation: row.conversationId,
    seq: row.pos.seq,
    createdAt: row.createdAt,
    threadId: row.threadId ?? null,
    bytes,
    profile: profileOf(row),
    agentEmail:
      (row.role === 'agent' || row.role === 'note') && row.authorEmail ? row.authorEmail.toLowerCase() : null,
    row: JSON.stringify(row),
    raw: rawCellsWhenNeeded(row, rawValues),
  };
}
