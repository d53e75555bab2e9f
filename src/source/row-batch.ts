import type { AuthorRole } from '../config/schema.js';
import type { ConversationStatus, CustomerRef } from '../helpscout/api-types.js';
import { isEmptyObject } from '../util/objects.js';
import { namesCustomer } from './customer.js';
import type { AttachmentRef, RejectedRow, SourceItem, StagedRow, ThreadRow } from './types.js';

export type RowValue = string | number | null | CustomerRef | string[] | AttachmentRef[] | readonly string[];

/**
 * What the source yields, a batch at a time, in the shape that is cheapest to pass from the reader thread to
 * the main thread: each valid row as ROW_FIELDS values laid end to end in `rows` (an object per row costs
 * about twice as much to pass; an empty customer, tag list or file list goes as null, a file name as its index
 * in `files`), the rejects as they are, and the header of each file once.
 */
export interface SourceBatch {
  rows: RowValue[];
  /** The files of the batch's rows, each once: a row names its file by its index here. */
  files: string[];
  rejects: RejectedRow[];
  /** The header of each file whose first valid row is in this batch. */
  headers: Record<string, string[]>;
}

/**
 * The fields of a valid row, in their order in SourceBatch.rows; `rawValues` are its cells in header order,
 * when a later stage may need them (RawCellsKeeper).
 */
export const ROW_FIELDS = [
  'fileIndex',
  'row',
  'line',
  'seq',
  'conversationId',
  'threadId',
  'createdAt',
  'text',
  'role',
  'authorEmail',
  'authorName',
  'customer',
  'subject',
  'tags',
  'status',
  'attachments',
  'rawValues',
] as const;

const RAW_VALUES = ROW_FIELDS.indexOf('rawValues');

/**
 * Which valid rows keep their cells as read: those a later stage may still reject. Planning rejects a
 * conversation none of whose rows names the customer, so a row keeps its cells unless its conversation is
 * known to name one (the row itself or an earlier row of it). Remembers up to `capacity` conversations and
 * forgets them all when full: forgetting keeps more cells than needed, never fewer.
 */
export class RawCellsKeeper {
  private named = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  mayBeNeeded(row: Omit<ThreadRow, 'raw' | 'pos'>): boolean {
    if (namesCustomer(row)) {
      if (this.named.size >= this.capacity) this.named = new Set();
      this.named.add(row.conversationId);
      return false;
    }
    return !this.named.has(row.conversationId);
  }
}

/** Collects what the source yields into SourceBatches. */
export class SourceBatcher {
  private readonly filesSeen = new Set<string>();
  private readonly keeper = new RawCellsKeeper();
  private batch: SourceBatch = emptyBatch();
  private items = 0;

  /** Items added since the last take(). */
  get size(): number {
    return this.items;
  }

  add(item: SourceItem): void {
    this.items += 1;
    if (item.kind === 'reject') {
      this.batch.rejects.push(item.reject);
      return;
    }
    const r = item.row;
    const { pos, raw } = r;
    let fileIndex = this.batch.files.indexOf(pos.file);
    if (fileIndex === -1) fileIndex = this.batch.files.push(pos.file) - 1;
    // In ROW_FIELDS order.
    this.batch.rows.push(
      fileIndex,
      pos.row,
      pos.line,
      pos.seq,
      r.conversationId,
      r.threadId ?? null,
      r.createdAt,
      r.text,
      r.role,
      r.authorEmail ?? null,
      r.authorName ?? null,
      isEmptyObject(r.customer) ? null : r.customer,
      r.subject ?? null,
      r.tags.length === 0 ? null : r.tags,
      r.status ?? null,
      r.attachments.length === 0 ? null : r.attachments,
      this.keeper.mayBeNeeded(r) ? Object.values(raw) : null,
    );
    if (!this.filesSeen.has(pos.file)) {
      this.filesSeen.add(pos.file);
      this.batch.headers[pos.file] = Object.keys(raw);
    }
  }

  take(): SourceBatch {
    const batch = this.batch;
    this.batch = emptyBatch();
    this.items = 0;
    return batch;
  }
}

function emptyBatch(): SourceBatch {
  return { rows: [], files: [], rejects: [], headers: {} };
}

/** The row whose values start at `at` in the batch's rows. */
export function rowAt(batch: SourceBatch, at: number): StagedRow {
  // v(i) is the value of ROW_FIELDS[i] (a test round-trips every field).
  const v = (i: number) => batch.rows[at + i];
  const row: StagedRow = {
    pos: {
      file: batch.files[v(0) as number] as string,
      row: v(1) as number,
      line: v(2) as number,
      seq: v(3) as number,
    },
    conversationId: v(4) as string,
    createdAt: v(6) as string,
    text: v(7) as string,
    role: v(8) as AuthorRole,
    customer: (v(11) as CustomerRef | null) ?? {},
    tags: (v(13) as string[] | null) ?? [],
    attachments: (v(15) as AttachmentRef[] | null) ?? [],
  };
  if (v(5) !== null) row.threadId = v(5) as string;
  if (v(9) !== null) row.authorEmail = v(9) as string;
  if (v(10) !== null) row.authorName = v(10) as string;
  if (v(12) !== null) row.subject = v(12) as string;
  if (v(14) !== null) row.status = v(14) as ConversationStatus;
  return row;
}

/**
 * The cells, in header order, of the row whose values start at `at` in `rows`, or null when no later stage
 * can need them (RawCellsKeeper).
 */
export function rawValuesAt(rows: readonly RowValue[], at: number): string[] | null {
  return rows[at + RAW_VALUES] as string[] | null;
}

/** Cells under their header, as a reject reports them (extra cells get a name of their own). */
export function rawRecord(headers: readonly string[], values: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  values.forEach((value, i) => {
    raw[headers[i] ?? `(field ${i + 1})`] = value;
  });
  return raw;
}
