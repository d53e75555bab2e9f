import type { PartEnvelope } from '../plan/plan-conversation.js';
import type { StagedRow } from '../source/types.js';
import { NEXT_PART_ID_SQL } from './retry-failed.js';
import { decodeRowBody, type RowColumns } from './row-body.js';
import { sourceFileNames } from './source-files.js';
import type { StateStore } from './store.js';

export interface PartRecord {
  id: number;
  conversationKey: string;
  partNo: number;
  hsConversationId: number | null;
  envelope: PartEnvelope;
}

export interface PartThread {
  id: number;
  partIndex: number;
  inline: boolean;
  state: 'pending' | 'done' | 'failed';
  bytes: number;
  /** In the conversation without its attachments, which are uploaded one by one after the create. */
  attachmentsLater: boolean;
  hsThreadId: number | null;
  row: StagedRow;
}

/**
 * The parts and their threads as they stand: what is sent, where it went, what is left. Every change made
 * here during a run is the effect of an outcome in the write log, committed in the same transaction
 * (WriteLog.finish), so the log explains the state of every thread.
 */
export class Parts {
  constructor(private readonly store: StateStore) {}

  /** Parts with something left to send, conversation by conversation in export order. */
  toSend(): PartRecord[] {
    const rows = this.store
      .prepare(
        `SELECT p.id, p.conversation_key AS conversationKey, p.part_no AS partNo,
                p.hs_conversation_id AS hsConversationId, p.envelope_json AS envelope
         FROM parts p
         WHERE EXISTS (SELECT 1 FROM thread_parts tp JOIN threads t ON t.id = tp.thread_id
                       WHERE tp.part_id = p.id AND t.state = 'pending')
         ORDER BY (SELECT min(seq) FROM threads t WHERE t.conversation_key = p.conversation_key), p.part_no`,
      )
      .all() as (Omit<PartRecord, 'envelope'> & { envelope: string })[];
    return rows.map((r) => ({ ...r, envelope: JSON.parse(r.envelope) as PartEnvelope }));
  }

  part(partId: number): PartRecord {
    const r = this.store
      .prepare(
        `SELECT id, conversation_key AS conversationKey, part_no AS partNo, hs_conversation_id AS hsConversationId,
                envelope_json AS envelope FROM parts WHERE id = ?`,
      )
      .get(partId) as Omit<PartRecord, 'envelope'> & { envelope: string };
    return { ...r, envelope: JSON.parse(r.envelope) as PartEnvelope };
  }

  threads(partId: number): PartThread[] {
    const rows = this.store
      .prepare(
        `SELECT t.id, tp.part_index AS partIndex, tp.inline, t.state, t.bytes, tp.attachments_later AS attachmentsLater,
                t.hs_thread_id AS hsThreadId, t.row_json, t.conversation_key, t.created_at, t.source_thread_id, t.seq,
                t.profile_json
         FROM thread_parts tp JOIN threads t ON t.id = tp.thread_id
         WHERE tp.part_id = ? ORDER BY tp.part_index`,
      )
      .all(partId) as (Omit<PartThread, 'inline' | 'attachmentsLater' | 'row'> &
      RowColumns & { inline: number; attachmentsLater: number; row_json: string })[];
    const files = sourceFileNames(this.store);
    return rows.map((r) => ({
      id: r.id,
      partIndex: r.partIndex,
      state: r.state,
      bytes: r.bytes,
      hsThreadId: r.hsThreadId,
      inline: r.inline === 1,
      attachmentsLater: r.attachmentsLater === 1,
      row: decodeRowBody(r.row_json, r, files),
    }));
  }

  /** Help Scout conversations this state file created: a read-back never takes one of them for another. */
  knownConversationIds(): Set<number> {
    const ids = this.store
      .prepare('SELECT hs_conversation_id FROM parts WHERE hs_conversation_id IS NOT NULL')
      .pluck()
      .all();
    return new Set(ids as number[]);
  }

  /**
   * Parts that have a Help Scout conversation; `createdHere` when this state file created it (a standing
   * create in the log), rather than the part having moved into a conversation someone merged it into.
   */
  inHelpScout(): { id: number; hs: number; createdHere: boolean }[] {
    const rows = this.store
      .prepare(
        `SELECT p.id, p.hs_conversation_id AS hs, EXISTS (
           SELECT 1 FROM live_writes w WHERE w.part_id = p.id AND w.kind = 'create-conversation'
             AND w.outcome = 'ok' AND w.resource_id = p.hs_conversation_id) AS createdHere
         FROM parts p WHERE p.hs_conversation_id IS NOT NULL ORDER BY p.id`,
      )
      .all() as { id: number; hs: number; createdHere: number }[];
    return rows.map((r) => ({ ...r, createdHere: r.createdHere === 1 }));
  }

  /** The conversation exists: the part gets its id and the inline threads are done. */
  /** The part's conversation exists; `doneIds` are its inline threads complete with it (no files to check). */
  conversationCreated(partId: number, hsConversationId: number, doneIds: number[]): void {
    this.store.prepare('UPDATE parts SET hs_conversation_id = ? WHERE id = ?').run(hsConversationId, partId);
    const done = this.store.prepare("UPDATE threads SET state = 'done', error = NULL WHERE id = ?");
    for (const id of doneIds) done.run(id);
  }

  /** An appended thread exists; with `filesFollow` it was sent without its files, which are uploaded next. */
  threadCreated(threadId: number, hsThreadId: number | null, filesFollow = false): void {
    if (!filesFollow) {
      this.store
        .prepare("UPDATE threads SET state = 'done', hs_thread_id = ?, error = NULL WHERE id = ?")
        .run(hsThreadId, threadId);
      return;
    }
    this.store.prepare('UPDATE threads SET hs_thread_id = ? WHERE id = ?').run(hsThreadId, threadId);
    this.store.prepare('UPDATE thread_parts SET attachments_later = 1 WHERE thread_id = ?').run(threadId);
  }

  /** The Help Scout id of a thread created inline, read back so that its files can follow. */
  threadIdFound(threadId: number, hsThreadId: number): void {
    this.store.prepare('UPDATE threads SET hs_thread_id = ? WHERE id = ?').run(hsThreadId, threadId);
  }

  /** All the files of a thread whose attachments followed its create are there. */
  threadComplete(threadId: number): void {
    this.store.prepare("UPDATE threads SET state = 'done', error = NULL WHERE id = ?").run(threadId);
  }

  /**
   * Decided before a thread's first write, from what its files are at send time (no outcome of the log):
   * files named by URL that could not be downloaded go as links in its text (their refs say why), and a
   * thread whose files are downloaded or changed since staging sends them after it, one a request. Kept in
   * the state so that a read-back, or the next run, sends and looks for the same thread.
   */
  filesDecided(threadId: number, attachments: StagedRow['attachments'], filesFollow: boolean): void {
    this.store
      .prepare(
        `UPDATE threads SET row_json = CASE json_type(row_json) WHEN 'array' THEN json_set(row_json, '$[7]', json(@files))
           ELSE json_set(row_json, '$.attachments', json(@files)) END WHERE id = @id`,
      )
      .run({ files: JSON.stringify(attachments), id: threadId });
    if (filesFollow)
      this.store.prepare('UPDATE thread_parts SET attachments_later = 1 WHERE thread_id = ?').run(threadId);
  }

  /** Every thread planned to open the part failed by its files: this one opens it instead. */
  openWith(threadId: number, filesFollow: boolean): void {
    this.store
      .prepare('UPDATE thread_parts SET inline = 1, attachments_later = ? WHERE thread_id = ?')
      .run(filesFollow ? 1 : 0, threadId);
  }

  /** Reported as failed, with the reason. */
  threadsFailed(threadIds: number[], error: string): void {
    const fail = this.store.prepare("UPDATE threads SET state = 'failed', error = ? WHERE id = ?");
    for (const id of threadIds) fail.run(error, id);
  }

  /**
   * Which of a part's threads, not yet sent, go inline in its Create Conversation: the first `inline` of
   * `threadIds` (in part order), the first of them without its files when `deferFirst`; the others are
   * appended once the conversation exists.
   */
  setInline(threadIds: readonly number[], inline: number, deferFirst: boolean): void {
    const set = this.store.prepare(
      'UPDATE thread_parts SET inline = ?, attachments_later = ? WHERE thread_id = ?',
    );
    threadIds.forEach((id, i) => {
      set.run(i < inline ? 1 : 0, i === 0 && deferFirst ? 1 : 0, id);
    });
  }

  /** The part's conversation was deleted (rollback): its threads are to be sent again, as if never sent. */
  rolledBack(partId: number): void {
    this.store
      .prepare(
        `UPDATE threads SET state = 'pending', hs_thread_id = NULL, error = NULL
         WHERE id IN (SELECT thread_id FROM thread_parts WHERE part_id = ?)`,
      )
      .run(partId);
    this.store.prepare('UPDATE parts SET hs_conversation_id = NULL WHERE id = ?').run(partId);
  }

  /**
   * A 412 on an append (thread cap, or the "too old" lock): the part's remaining threads move to a new
   * continuation part that is created with them inline.
   */
  continueInNewPart(
    part: PartRecord,
    fromThreadIds: number[],
    inline: number,
    deferFirstAttachments: boolean,
    note: string,
  ): number {
    return this.store.db.transaction(() => {
      // The continuation takes the next number; the parts after it (not started: parts go in order) move up
      // one, so part numbers stay in date order. Two steps, as UNIQUE is checked row by row.
      const partNo = part.partNo + 1;
      this.store
        .prepare('UPDATE parts SET part_no = -(part_no + 1) WHERE conversation_key = ? AND part_no >= ?')
        .run(part.conversationKey, partNo);
      this.store
        .prepare('UPDATE parts SET part_no = -part_no WHERE conversation_key = ? AND part_no < 0')
        .run(part.conversationKey);
      const envelope = { ...part.envelope, subject: `${part.envelope.subject} (continued)` };
      const id = Number(
        this.store
          .prepare(
            `INSERT INTO parts (id, conversation_key, part_no, subject, envelope_json, note)
             VALUES (${NEXT_PART_ID_SQL}, ?, ?, ?, ?, ?)`,
          )
          .run(part.conversationKey, partNo, envelope.subject, JSON.stringify(envelope), note)
          .lastInsertRowid,
      );
      const move = this.store.prepare(
        'UPDATE thread_parts SET part_id = ?, part_index = ?, inline = ?, attachments_later = ? WHERE thread_id = ?',
      );
      fromThreadIds.forEach((threadId, index) => {
        move.run(id, index, index < inline ? 1 : 0, index === 0 && deferFirstAttachments ? 1 : 0, threadId);
      });
      return id;
    })();
  }

  /** The conversation was merged into another: further writes go there. */
  moved(partId: number, to: number, from: number): void {
    this.store
      .prepare("UPDATE parts SET hs_conversation_id = ?, note = coalesce(note || '; ', '') || ? WHERE id = ?")
      .run(to, `merged: ${from} → ${to}`, partId);
  }
}
