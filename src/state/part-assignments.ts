import { THREAD_PARTS_INDEX_SQL } from './schema.js';
import type { StateStore } from './store.js';

/** Rows a statement when writing: a call per row costs more than the row itself. */
const ROWS_PER_INSERT = 64;

/**
 * Planning's thread → part assignments, collected in memory (9 bytes a thread, indexed by thread id) and
 * written to thread_parts in thread id order once planning is done: appends, where writing them as planned
 * (a conversation at a time, an export interleaving its conversations) would insert all over the table.
 */
export class PartAssignments {
  private readonly partIds: Int32Array;
  private readonly indexes: Int32Array;
  /** Bit 0: inline; bit 1: attachments later. */
  private readonly flags: Uint8Array;
  private count = 0;

  /** For threads of ids up to `maxThreadId`. */
  constructor(maxThreadId: number) {
    this.partIds = new Int32Array(maxThreadId + 1);
    this.indexes = new Int32Array(maxThreadId + 1);
    this.flags = new Uint8Array(maxThreadId + 1);
  }

  add(threadId: number, partId: number, index: number, inline: boolean, attachmentsLater: boolean): void {
    if (threadId >= this.partIds.length) throw new RangeError(`thread ${threadId} is past the last one`);
    if (this.partIds[threadId] === 0) this.count += 1;
    this.partIds[threadId] = partId;
    this.indexes[threadId] = index;
    this.flags[threadId] = (inline ? 1 : 0) | (attachmentsLater ? 2 : 0);
  }

  /**
   * Writes every assignment, in thread id order. When they outnumber the rows already there, the part index
   * is dropped and built again after: one sort instead of an insertion per row at random places in it.
   */
  write(store: StateStore): void {
    const before = store.prepare('SELECT count(*) FROM thread_parts').pluck().get() as number;
    const rebuild = this.count > before;
    if (rebuild) store.db.exec('DROP INDEX IF EXISTS thread_parts_by_part');
    const insertRows = (rows: number) =>
      store.prepare(
        `INSERT INTO thread_parts (thread_id, part_id, part_index, inline, attachments_later) VALUES
         ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}`,
      );
    const insertMany = insertRows(ROWS_PER_INSERT);
    const insertOne = insertRows(1);
    const values: number[] = [];
    const { partIds, indexes, flags } = this;
    for (let id = 0; id < partIds.length; id++) {
      const partId = partIds[id] as number;
      if (partId === 0) continue;
      const flag = flags[id] as number;
      values.push(id, partId, indexes[id] as number, flag & 1, (flag >> 1) & 1);
      if (values.length === ROWS_PER_INSERT * 5) insertMany.run(values.splice(0));
    }
    for (let at = 0; at < values.length; at += 5) insertOne.run(values.slice(at, at + 5));
    if (rebuild) store.execSorting(THREAD_PARTS_INDEX_SQL);
  }
}
