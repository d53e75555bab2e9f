import type { RejectedRow } from '../source/types.js';
import { CustomerFills } from './customer-fills.js';
import { fedBackFiles, fedBackOccurrence, saveFedBackFiles } from './fed-back-rows.js';
import type { PreparedThread } from './prepare-row.js';
import { rejectInserter } from './rejects.js';
import { failedThreadIds, type RetryCounts, retryFailed } from './retry-failed.js';
import { THREAD_CONVERSATION_INDEX_SQL, THREAD_IDENTITY_INDEX_SQL } from './schema.js';
import { SourceFileNumbers } from './source-files.js';
import type { StateStore } from './store.js';

/** Writes one staged thread (`fedBack`: read from a rejects.csv fed back); each kind of staging has its own. */
type ThreadWriter = (thread: PreparedThread, runId: number, fedBack: boolean) => void;

/**
 * One staging of the export into the state file, in one transaction: a run-fatal source error or a stop
 * rolls it back, leaving the state as it was. Rows seen before keep their identity (and their progress);
 * rejects and changed threads are rebuilt from this reading. Messages of the same conversation, second and
 * role are told apart by their rank in the export.
 */
export class StagingTransaction {
  private readonly writeThread: ThreadWriter;
  private readonly insertReject: (reject: RejectedRow) => number;
  /** The rejects that name no customer but their conversation: filled in once every row is staged. */
  readonly customerFills = new CustomerFills();
  private readonly files: SourceFileNumbers;
  private readonly fedBack: Set<string>;
  readonly threadsBefore: number;
  private readonly failedBefore: number[];

  /** `retryAll` (`--retry-failed`): every failed thread of this reading is sent again, not only changed ones. */
  constructor(
    private readonly store: StateStore,
    private readonly runId: number,
    private readonly retryAll = false,
  ) {
    this.threadsBefore = this.threadCount();
    store.db.exec('BEGIN IMMEDIATE');
    this.failedBefore = failedThreadIds(store);
    store.db.exec('DELETE FROM rejects; DELETE FROM changed_threads');
    this.insertReject = rejectInserter(store);
    this.writeThread = this.threadsBefore === 0 ? firstLoadWriter(store) : rerunWriter(store);
    this.files = new SourceFileNumbers(store);
    this.fedBack = fedBackFiles(store);
  }

  /** The number a source file is stored under (numbers are only ever added). */
  fileNumber(file: string): number {
    return this.files.numberOf(file);
  }

  thread(thread: PreparedThread, fedBack = false): void {
    this.writeThread(thread, this.runId, fedBack);
  }

  /** This reading's file is a rejects.csv fed back (recorded for later readings: fed-back-rows.ts). */
  fedBackFile(file: string): void {
    this.fedBack.add(file);
  }

  reject(reject: RejectedRow): void {
    const id = this.insertReject(reject);
    if (reject.customerFill) this.customerFills.add(id, reject);
  }

  /**
   * The unsent threads of these conversations that earlier readings staged join this one: rows of a
   * rejects.csv fed back are planned with the rest of their conversation, in date order, rather than alone.
   */
  adoptUnsent(conversations: Iterable<string>): void {
    const adopt = this.store.prepare(
      `UPDATE threads SET seen_run = ? WHERE conversation_key = ? AND seen_run <> ? AND state = 'pending'`,
    );
    for (const key of conversations) adopt.run(this.runId, key, this.runId);
  }

  /**
   * Commits, with each file's header as this reading saw it, and with the failed threads to send again made
   * sendable; returns the threads new in this staging and those sent again. `beforeCommit` runs inside the
   * transaction once the conversations are indexed.
   */
  commit(
    headersByFile: Record<string, string[]>,
    beforeCommit?: () => void,
  ): { newThreads: number; retried: RetryCounts } {
    this.store.setMeta('source_headers', JSON.stringify(headersByFile));
    this.files.save();
    saveFedBackFiles(this.store, this.fedBack);
    this.store.execSorting(THREAD_CONVERSATION_INDEX_SQL);
    beforeCommit?.();
    const retried = retryFailed(this.store, this.failedBefore, this.runId, this.retryAll);
    this.store.db.exec('COMMIT');
    return { newThreads: this.threadCount() - this.threadsBefore, retried };
  }

  rollback(): void {
    this.store.db.exec('ROLLBACK');
  }

  private threadCount(): number {
    return this.store.prepare('SELECT count(*) FROM threads').pluck().get() as number;
  }
}

const THREAD_COLUMNS = `base_key, occurrence, conversation_key, seq, created_at, source_thread_id, bytes,
                        profile_json, agent_email, seen_run, row_json, raw_json`;
const THREAD_PLACEHOLDERS = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?';

/** The values of THREAD_COLUMNS, in order (positional parameters: binding by name costs a third more). */
function threadValues(t: PreparedThread, occurrence: number, runId: number): unknown[] {
  return [
    t.baseKey,
    occurrence,
    t.conversation,
    t.seq,
    t.createdAt,
    t.threadId,
    t.bytes,
    t.profile,
    t.agentEmail,
    runId,
    t.row,
    t.raw,
  ];
}

/**
 * The first staging into a state file: no row to match, so plain appends without the identity index, and
 * identical messages ranked only when a later staging needs it (ensureIdentityIndex). The conversation index
 * is built once the appends are done.
 */
function firstLoadWriter(store: StateStore): ThreadWriter {
  store.db.exec('DROP INDEX IF EXISTS threads_identity; DROP INDEX IF EXISTS threads_by_conversation');
  const insert = store.prepare(`INSERT INTO threads (${THREAD_COLUMNS}) VALUES (${THREAD_PLACEHOLDERS})`);
  return (t, runId) => {
    insert.run(...threadValues(t, 1, runId));
  };
}

/**
 * The identity index, built once by the first staging that matches rows. Identical messages of the first
 * load all went in as occurrence 1; when there are any, the unique index refuses them, and they are ranked
 * by their position in that reading first.
 */
function ensureIdentityIndex(store: StateStore): void {
  try {
    store.execSorting(THREAD_IDENTITY_INDEX_SQL);
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    store.execSorting(`
      UPDATE threads SET occurrence = ranked.n
      FROM (SELECT id, row_number() OVER (PARTITION BY base_key ORDER BY seq) AS n FROM threads) AS ranked
      WHERE ranked.id = threads.id AND ranked.n > 1;
      ${THREAD_IDENTITY_INDEX_SQL}`);
  }
}

/**
 * What a thread is sent with, as SQL on a table alias: the row less its place in the file (file, row and line
 * lead row_json's array), the conversation's fields, the date and the author.
 */
const SENT_CONTENT: ((table: string) => string)[] = [
  (t) => `json_remove(${t}.row_json, '$[0]', '$[0]', '$[0]')`,
  (t) => `${t}.profile_json`,
  (t) => `${t}.created_at`,
  (t) => `${t}.agent_email`,
];

/**
 * A later staging: each row finds the thread it was on an earlier reading by (base_key, occurrence). A thread
 * not yet in a part takes this reading's content; one already planned keeps what it was planned with, and
 * when this reading has other text it is recorded as changed (never sent again). A failed thread whose row
 * changed takes the new row and is pending again (retryFailed places it). The rank among messages of
 * the same second and role is looked up only when a row meets one already read in this run.
 */
function rerunWriter(store: StateStore): ThreadWriter {
  ensureIdentityIndex(store);
  const unplanned =
    "NOT EXISTS (SELECT 1 FROM thread_parts WHERE thread_parts.thread_id = threads.id) AND state = 'pending'";
  // A failed thread takes the row as this reading has it (sent again, it goes as the export now says); when
  // it changed (not only its place in the file), it is sent again.
  const changedFailed = `state = 'failed' AND (${SENT_CONTENT.map((c) => `${c('threads')} IS NOT ${c('excluded')}`).join(' OR ')})`;
  const takesNew = `(${unplanned}) OR state = 'failed'`;
  const upsert = store.prepare(
    `INSERT INTO threads (${THREAD_COLUMNS}) VALUES (${THREAD_PLACEHOLDERS})
     ON CONFLICT (base_key, occurrence) DO UPDATE SET
       seq = excluded.seq,
       seen_run = excluded.seen_run,
       profile_json = CASE WHEN ${takesNew} THEN excluded.profile_json ELSE profile_json END,
       agent_email = CASE WHEN ${takesNew} THEN excluded.agent_email ELSE agent_email END,
       bytes = CASE WHEN ${takesNew} THEN excluded.bytes ELSE bytes END,
       created_at = CASE WHEN ${takesNew} THEN excluded.created_at ELSE created_at END,
       row_json = CASE WHEN ${takesNew} THEN excluded.row_json ELSE row_json END,
       raw_json = CASE WHEN ${takesNew} THEN excluded.raw_json ELSE coalesce(raw_json, excluded.raw_json) END,
       state = CASE WHEN ${changedFailed} THEN 'pending' ELSE state END
     WHERE threads.seen_run <> excluded.seen_run
     RETURNING id, coalesce(json_extract(row_json, '$[4]'), json_extract(row_json, '$.text')) AS kept`,
  );
  const changed = store.prepare('INSERT OR REPLACE INTO changed_threads (thread_id, text) VALUES (?, ?)');
  const rank = store.prepare('SELECT count(*) FROM threads WHERE base_key = ? AND seen_run = ?').pluck();
  const upsertAs = (t: PreparedThread, occurrence: number, runId: number): boolean => {
    const found = upsert.get(...threadValues(t, occurrence, runId)) as
      | { id: number; kept: string }
      | undefined;
    if (found === undefined) return false;
    // An unplanned thread took the new text; one that kept its own was planned or sent with it.
    if (found.kept !== t.text) changed.run(found.id, t.text);
    return true;
  };
  const fedBackAt = fedBackOccurrence(store);
  return (t, runId, fedBack) => {
    if (fedBack) upsertAs(t, fedBackAt(t.baseKey, runId), runId);
    // Nothing written: the first of these identical messages was already read in this run.
    else if (!upsertAs(t, 1, runId)) upsertAs(t, (rank.get(t.baseKey, runId) as number) + 1, runId);
  };
}
