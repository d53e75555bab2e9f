import type { StateStore } from './store.js';

/** Creates are the writes of the exactly-once protocol; a find is a read that changed a thread; a delete a rollback. */
export type WriteKind =
  | 'create-conversation'
  | 'create-thread'
  | 'create-attachment'
  | 'find-thread'
  | 'delete-conversation';

/** Every way a logged write can end. Closed: `finish` records each, and nothing else. */
export type WriteOutcome =
  /** Help Scout created it (answered 201, or a read-back found it). */
  | { kind: 'created'; resourceId: number | null; resolution?: string }
  /** Help Scout answered with an error: it did nothing. */
  | { kind: 'refused'; status: number | null; error: string; resolution?: string }
  /** The answer was lost: read back before anything is sent again. */
  | { kind: 'in-doubt'; reason: string }
  /** Read back and not found, or never sent: the write did nothing, and may be sent again. */
  | { kind: 'not-created'; resolution: string }
  /** A read found what it looked for. */
  | { kind: 'found'; resourceId: number }
  /** A read did not find what it looked for. */
  | { kind: 'not-found'; error: string }
  /** The part's conversation is gone from Help Scout: the part's earlier writes are history. */
  | { kind: 'deleted'; resolution?: string };

/** The outcome column: 'ok' and 'failed' are the names state files have always used for created and refused. */
const COLUMN: Record<WriteOutcome['kind'], string> = {
  created: 'ok',
  refused: 'failed',
  'in-doubt': 'in-doubt',
  'not-created': 'not-created',
  found: 'found',
  'not-found': 'not-found',
  deleted: 'deleted',
};

export interface OpenWrite {
  id: number;
  partId: number;
  kind: WriteKind;
  threadIds: number[];
  hsConversationId: number | null;
  intentAt: string;
}

/** Whether this state file ever sent (or began to send) a write: then it holds ids of its target's. */
export function everSent(store: StateStore): boolean {
  return store.prepare('SELECT 1 FROM writes LIMIT 1').get() !== undefined;
}

/**
 * The write log, an audit trail only ever appended to: every write is an intent committed before the request
 * leaves and an outcome committed right after the answer, with its effect on the parts in the same transaction.
 * A create without an outcome (the process died) or in doubt (the answer was lost) is open: it must be read
 * back before any resend. A rollback is a write of its own; the writes before it are then history (live_writes).
 */
export class WriteLog {
  constructor(
    private readonly store: StateStore,
    private readonly runId: number,
    private readonly now: () => string,
  ) {}

  intent(partId: number, kind: WriteKind, threadIds: number[], hsConversationId: number | null): number {
    const result = this.store
      .prepare(
        'INSERT INTO writes (run_id, part_id, kind, thread_ids, hs_conversation_id, intent_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(this.runId, partId, kind, JSON.stringify(threadIds), hsConversationId, this.now());
    return Number(result.lastInsertRowid);
  }

  /**
   * Records how the write ended, and `effect` (its consequences for parts and threads) in the same
   * transaction, and returns what the effect returns. An outcome is given once, except that an open write
   * (in doubt) gets its final one.
   */
  finish(writeId: number, outcome: WriteOutcome): void;
  finish<T>(writeId: number, outcome: WriteOutcome, effect: () => T): T;
  finish<T>(writeId: number, outcome: WriteOutcome, effect?: () => T): T | undefined {
    const d = detailsOf(outcome);
    return this.store.db.transaction(() => {
      const changed = this.store
        .prepare(
          `UPDATE writes SET outcome = ?, http_status = coalesce(?, http_status), resource_id = ?, error = ?,
             resolution = coalesce(?, resolution), finished_at = ?
           WHERE id = ? AND (outcome IS NULL OR outcome = 'in-doubt')`,
        )
        .run(
          COLUMN[outcome.kind],
          d.status,
          d.resourceId,
          d.error,
          d.resolution,
          this.now(),
          writeId,
        ).changes;
      if (changed !== 1) throw new Error(`write ${writeId} already has its outcome`);
      return effect?.();
    })();
  }

  /** A step recorded at once, intent and outcome (a read): the log explains what it changed. */
  record(
    partId: number,
    kind: WriteKind,
    threadIds: number[],
    hsConversationId: number | null,
    outcome: WriteOutcome,
    effect: () => void = () => {},
  ): number {
    return this.store.db.transaction(() => {
      const id = this.intent(partId, kind, threadIds, hsConversationId);
      this.finish(id, outcome, effect);
      return id;
    })();
  }

  /** When a write's intent was committed: a read-back looks for what was created after it. */
  intentAt(writeId: number): string {
    return this.store.prepare('SELECT intent_at FROM writes WHERE id = ?').pluck().get(writeId) as string;
  }

  /** The part's creates left without an answer, oldest first. */
  open(partId: number): OpenWrite[] {
    const rows = this.store
      .prepare(
        `SELECT id, part_id AS partId, kind, thread_ids AS threadIds, hs_conversation_id AS hsConversationId, intent_at AS intentAt
         FROM live_writes WHERE part_id = ? AND (outcome IS NULL OR outcome = 'in-doubt')
           AND kind IN ('create-conversation', 'create-thread', 'create-attachment')
         ORDER BY id`,
      )
      .all(partId) as (Omit<OpenWrite, 'threadIds'> & { threadIds: string })[];
    return rows.map((r) => ({ ...r, threadIds: JSON.parse(r.threadIds) as number[] }));
  }

  /** Whether one of the part's standing writes of this kind was settled with this resolution. */
  settledAs(partId: number, kind: WriteKind, resolution: string): boolean {
    return (
      this.store
        .prepare(
          'SELECT EXISTS (SELECT 1 FROM live_writes WHERE part_id = ? AND kind = ? AND resolution = ?)',
        )
        .pluck()
        .get(partId, kind, resolution) === 1
    );
  }

  /** Whether Help Scout refused this thread's append as too large (413): it then goes without its files. */
  refusedTooLarge(threadId: number): boolean {
    return (
      this.store
        .prepare(
          "SELECT EXISTS (SELECT 1 FROM live_writes WHERE kind = 'create-thread' AND outcome = 'failed' AND http_status = 413 AND thread_ids = ?)",
        )
        .pluck()
        .get(JSON.stringify([threadId])) === 1
    );
  }

  /** Whether an appended thread's create is done (it may still wait for its files). */
  threadCreated(threadId: number): boolean {
    return (
      this.store
        .prepare(
          "SELECT EXISTS (SELECT 1 FROM live_writes WHERE kind = 'create-thread' AND outcome = 'ok' AND thread_ids = ?)",
        )
        .pluck()
        .get(JSON.stringify([threadId])) === 1
    );
  }

  /** Attachments uploaded so far to a thread whose attachments follow its create (not counting rolled-back ones). */
  attachmentsUploaded(threadId: number): number {
    return this.store
      .prepare(
        "SELECT count(*) FROM live_writes WHERE kind = 'create-attachment' AND outcome = 'ok' AND thread_ids = ?",
      )
      .pluck()
      .get(JSON.stringify([threadId])) as number;
  }
}

function detailsOf(outcome: WriteOutcome): {
  status: number | null;
  resourceId: number | null;
  error: string | null;
  resolution: string | null;
} {
  const none = { status: null, resourceId: null, error: null, resolution: null };
  switch (outcome.kind) {
    case 'created':
      return { ...none, status: 201, resourceId: outcome.resourceId, resolution: outcome.resolution ?? null };
    case 'refused':
      return {
        ...none,
        status: outcome.status,
        error: outcome.error,
        resolution: outcome.resolution ?? null,
      };
    case 'in-doubt':
      return { ...none, error: outcome.reason };
    case 'not-created':
      return { ...none, resolution: outcome.resolution };
    case 'found':
      return { ...none, resourceId: outcome.resourceId };
    case 'not-found':
      return { ...none, error: outcome.error };
    case 'deleted':
      return { ...none, resolution: outcome.resolution ?? null };
  }
}
