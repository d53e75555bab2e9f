import { estimateThreadBytes } from '../api/request-size.js';
import type { ProfileSource } from '../plan/profile.js';
import type { StagedRow } from '../source/types.js';
import { isEmptyObject } from '../util/objects.js';
import { encodeRowBody } from './row-body.js';

/** A valid row in the form the threads table takes it. */
export interface PreparedThread {
  baseKey: string;
  /** The message, to tell a thread found again with other text (staging-writer.ts). */
  text: string;
  conversation: string;
  seq: number;
  createdAt: string;
  threadId: string | null;
  bytes: number;
  profile: string | null;
  agentEmail: string | null;
  /** The StagedRow as threads.row_json keeps it, less the profile (encodeRowBody). */
  row: string;
  /** The cells as read, or null when they can't be needed (see RawCellsKeeper). */
  raw: string | null;
}

/**
 * A thread's identity across reruns: its source id when the export has one, else its conversation, second and
 * role; staging adds its rank among the messages of that second and role. Never its text: a re-export that
 * repairs an encoding, trims a space or re-renders HTML must find the same threads, not new ones.
 */
export function threadBaseKey(row: StagedRow): string {
  if (row.threadId) return `${row.conversationId}\u001fid:${row.threadId}`;
  return `${row.conversationId}\u001ft:${row.createdAt}\u001f${row.role}`;
}

type ProfileFields = Pick<StagedRow, 'customer' | 'tags' | 'subject' | 'status'>;

/** The same keys, in the same order (the JSON is written in it), with the same values. */
function sameValues(a: object, b: object, bKeys: readonly string[]): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let i = 0;
  for (const key in x) {
    if (key !== bKeys[i] || x[key] !== y[key]) return false;
    i += 1;
  }
  return i === bKeys.length;
}

function sameProfile(a: ProfileFields, b: ProfileFields): boolean {
  return (
    a.subject === b.subject &&
    a.status === b.status &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i]) &&
    sameValues(a.customer, b.customer, lastCustomerKeys)
  );
}

// The rows of a conversation usually come one after another with the same fields: the last one is kept.
let lastFields: ProfileFields | undefined;
let lastCustomerKeys: string[] = [];
let lastProfile: string | null = null;

/** The conversation-level fields a row carries, or null when it carries none (threads.profile_json). */
export function profileOf(row: StagedRow): string | null {
  if (lastFields === undefined || !sameProfile(row, lastFields)) {
    lastProfile = profileJson(row);
    lastCustomerKeys = Object.keys(row.customer);
    lastFields = {
      customer: { ...row.customer },
      tags: [...row.tags],
      subject: row.subject,
      status: row.status,
    };
  }
  return lastProfile;
}

function profileJson(row: StagedRow): string | null {
  const profile: ProfileSource = { customer: row.customer, tags: row.tags };
  if (row.subject !== undefined) profile.subject = row.subject;
  if (row.status !== undefined) profile.status = row.status;
  const empty =
    row.subject === undefined &&
    row.status === undefined &&
    row.tags.length === 0 &&
    isEmptyObject(row.customer);
  return empty ? null : JSON.stringify(profile);
}

/**
 * What staging writes for a valid row (the source has refused those too large for any request: see
 * sizeProblem in read-source.ts).
 */
export function prepareThread(
  row: StagedRow,
  rawValues: readonly string[] | null,
  fileNumber: number,
): PreparedThread {
  return {
    baseKey: threadBaseKey(row),
    text: row.text,
    conversation: row.conversationId,
    seq: row.pos.seq,
    createdAt: row.createdAt,
    threadId: row.threadId ?? null,
    bytes: estimateThreadBytes(row),
    profile: profileOf(row),
    agentEmail:
      (row.role === 'agent' || row.role === 'note') && row.authorEmail ? row.authorEmail.toLowerCase() : null,
    row: encodeRowBody(row, fileNumber),
    raw: rawValues === null ? null : JSON.stringify(rawValues),
  };
}
