import { THREAD_PARTS_INDEX_SQL } from './schema.js';
import type { StateStore } from './store.js';

/**
 * Planning's thread → part assignments, collected in memory (a few bytes a thread, indexed by thread id) and
 * written to thread_parts in thread id order once planning is done: appends, where writing them as planned
 * (a conversation at a time, an export interleaving its conversations) would insert all over the table.
 */
const ROWS_PER_INSERT = 64;

export class PartAssignments {
  private partIds = new Int32Array(1024);
  private indexes = new Int32Array(1024);
  /** Bit 0: inline; bit 1: attachments later. */
  private flags = new Uint8Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(threadId: number, partId: number, index: number, inline: boolean, attachmentsLater: boolean): void {
    if (threadId >= this.partIds.length) this.grow(threadId);
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
    // Many rows a statement: a call per row costs more than the row itself.
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
    if (rebuild) store.db.exec(THREAD_PARTS_INDEX_SQL);
  }

  private grow(threadId: number): void {
    let length = this.partIds.length;
    while (length <= threadId) length *= 2;
    const grown = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.partIds = grown(this.partIds, new Int32Array(length));
    this.indexes = grown(this.indexes, new Int32Array(length));
    this.flags = grown(this.flags, new Uint8Array(length));
  }
}
