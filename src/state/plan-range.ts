import type { PlanThread, StartedPart } from '../plan/plan-conversation.js';
import type { ProfileSource } from '../plan/profile.js';
import type { StateStore } from './store.js';

/**
 * Conversation keys from `from` (included) to `to` (excluded; null: to the last). Ranges are cut at keys, so
 * a conversation is always whole in one of them.
 */
export interface KeyRange {
  from: string;
  to: string | null;
}

/** What planning decided for one conversation, for planPending to write. */
export type ConversationOutcome =
  | { kind: 'rejected'; key: string; field: string; reason: string; threadIds: number[] }
  | {
      kind: 'planned';
      key: string;
      /** Threads joining the conversation's last started part, from its place `firstIndex` on. */
      append?: { partId: number; firstIndex: number; threadIds: number[] };
      parts: {
        partNo: number;
        subject: string;
        envelopeJson: string;
        threadIds: number[];
        inline: number;
        deferFirstAttachments: boolean;
      }[];
      olderThanSent: number;
    };

export interface RangePlan {
  /** Conversations of this run in the range (with `--sample`, those sampled), planned or not. */
  conversations: number;
  outcomes: ConversationOutcome[];
}

/** A conversation of this run as planning reads it. */
export interface RunConversation {
  key: string;
  threads: PlanThread[];
  /** Per thread: pending and in no part yet, so this planning places it. */
  unsent: boolean[];
}

/** Threads per key range: a range is read with one query. */
export const RANGE_ROWS = 8192;

// Few columns, and a flag rather than the part and state; read as arrays (raw mode): turning rows into
// objects is most of the scan.
const SCAN_COLUMNS = `conversation_key, id, seq, created_at, source_thread_id, bytes, profile_json,
   state = 'pending' AND NOT EXISTS (SELECT 1 FROM thread_parts tp WHERE tp.thread_id = threads.id) AS unsent`;
type ScanRow = [string, number, number, string, string | null, number, string | null, number];

/**
 * Cuts the state's conversation keys into ranges of about `rowsPerRange` threads, walking the conversation
 * index (one step per thread in all). A conversation larger than that is a range of its own.
 */
export function* keyRanges(store: StateStore, rowsPerRange = RANGE_ROWS): Generator<KeyRange> {
  const keyAt = store
    .prepare(
      'SELECT conversation_key FROM threads WHERE conversation_key >= ? ORDER BY conversation_key LIMIT 1 OFFSET ?',
    )
    .pluck();
  const keyAfter = store
    .prepare('SELECT min(conversation_key) FROM threads WHERE conversation_key > ?')
    .pluck();
  let from = '';
  for (;;) {
    let to = (keyAt.get(from, rowsPerRange) as string | undefined) ?? null;
    // A conversation reaching past the cut: the range ends after it.
    if (to === from) to = keyAfter.get(from) as string | null;
    yield { from, to };
    if (to === null) return;
    from = to;
  }
}

/** This run's conversations in a key range, in key order. */
export function* conversationsInRange(
  store: StateStore,
  runId: number,
  range: KeyRange,
): Generator<RunConversation> {
  const rows = (
    range.to === null
      ? store
          .prepare(
            `SELECT ${SCAN_COLUMNS} FROM threads
             WHERE conversation_key >= ? AND seen_run = ? ORDER BY conversation_key`,
          )
          .raw(true)
          .all(range.from, runId)
      : store
          .prepare(
            `SELECT ${SCAN_COLUMNS} FROM threads
             WHERE conversation_key >= ? AND conversation_key < ? AND seen_run = ? ORDER BY conversation_key`,
          )
          .raw(true)
          .all(range.from, range.to, runId)
  ) as ScanRow[];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    const key = (rows[start] as ScanRow)[0];
    if (i < rows.length && (rows[i] as ScanRow)[0] === key) continue;
    yield conversationOf(key, rows.slice(start, i));
    start = i;
  }
}

const NO_PROFILE: ProfileSource = { customer: {}, tags: [] };

/** The planner's view of a conversation's rows. Rows repeating a profile share it, parsed once. */
function conversationOf(key: string, rows: readonly ScanRow[]): RunConversation {
  const parsed = new Map<string, ProfileSource>();
  const threads: PlanThread[] = [];
  const unsent: boolean[] = [];
  for (const [, id, seq, createdAt, threadId, bytes, profileJson, isUnsent] of rows) {
    let profile = NO_PROFILE;
    if (profileJson !== null) {
      profile = parsed.get(profileJson) ?? (JSON.parse(profileJson) as ProfileSource);
      parsed.set(profileJson, profile);
    }
    threads.push({
      id,
      seq,
      createdAt,
      threadId: threadId ?? undefined,
      bytes,
      subject: profile.subject,
      customer: profile.customer,
      tags: profile.tags,
      status: profile.status,
    });
    unsent.push(isUnsent === 1);
  }
  return { key, threads, unsent };
}

/** What planning looks up of the parts already started, for the conversations it plans. */
export interface StartedParts {
  /** The conversation's last part, when any part of it was started. */
  lastOf(key: string): StartedPart | undefined;
  /** The place a thread joining this part takes. */
  nextIndexOf(partId: number): number;
}

export function startedParts(store: StateStore, anyStarted: boolean): StartedParts {
  const lastStartedOf = store.prepare(
    `SELECT p.id, p.part_no AS partNo, (SELECT count(*) FROM thread_parts tp WHERE tp.part_id = p.id) AS threadCount,
            (SELECT max(t.created_at) FROM parts q JOIN thread_parts tp ON tp.part_id = q.id
               JOIN threads t ON t.id = tp.thread_id
              WHERE q.conversation_key = p.conversation_key) AS lastCreatedAt
     FROM parts p WHERE p.conversation_key = ? ORDER BY p.part_no DESC LIMIT 1`,
  );
  const maxIndexOf = store
    .prepare('SELECT coalesce(max(part_index), -1) FROM thread_parts WHERE part_id = ?')
    .pluck();
  return {
    // Without a started part (a first run), no conversation has one to look up.
    lastOf: (key) => (anyStarted ? (lastStartedOf.get(key) as StartedPart | undefined) : undefined),
    nextIndexOf: (partId) => (maxIndexOf.get(partId) as number) + 1,
  };
}
