import type { AuthorRole } from '../config/schema.js';
import type { ConversationStatus, CustomerRef } from '../helpscout/api-types.js';
import type { AttachmentRef, RejectedRow, SourceItem, StagedRow } from './types.js';

export type RowValue = string | number | null | CustomerRef | string[] | AttachmentRef[] | readonly string[];

/**
 * What the source yields, a batch at a time, in the shape that is cheapest to pass from the reader thread to
 * the main thread: each valid row as ROW_FIELDS values laid end to end in `rows` (an object per row costs
 * about twice as much to pass), the rejects as they are, and the header of each file once.
 */
export interface SourceBatch {
  rows: RowValue[];
  rejects: RejectedRow[];
  /** The header of each file whose first valid row is in this batch. */
  headers: Record<string, string[]>;
}

/** The fields of a valid row, in their order in SourceBatch.rows; `rawValues` are its cells in header order. */
export const ROW_FIELDS = [
  'file',
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

/** Collects what the source yields into SourceBatches. */
export class SourceBatcher {
  private readonly filesSeen = new Set<string>();
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
    const { pos, raw, ...r } = item.row;
    // In ROW_FIELDS order.
    this.batch.rows.push(
      pos.file,
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
      r.customer,
      r.subject ?? null,
      r.tags,
      r.status ?? null,
      r.attachments,
      Object.values(raw),
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
  return { rows: [], rejects: [], headers: {} };
}

/** The row whose values start at `at` in `rows`. */
export function rowAt(rows: readonly RowValue[], at: number): StagedRow {
  // v(i) is the value of ROW_FIELDS[i] (a test round-trips every field).
  const v = (i: number) => rows[at + i];
  const row: StagedRow = {
    pos: { file: v(0) as string, row: v(1) as number, line: v(2) as number, seq: v(3) as number },
    conversationId: v(4) as string,
    createdAt: v(6) as string,
    text: v(7) as string,
    role: v(8) as AuthorRole,
    customer: v(11) as CustomerRef,
    tags: v(13) as string[],
    attachments: v(15) as AttachmentRef[],
  };
  if (v(5) !== null) row.threadId = v(5) as string;
  if (v(9) !== null) row.authorEmail = v(9) as string;
  if (v(10) !== null) row.authorName = v(10) as string;
  if (v(12) !== null) row.subject = v(12) as string;
  if (v(14) !== null) row.status = v(14) as ConversationStatus;
  return row;
}

/** The cells, in header order, of the row whose values start at `at` in `rows`. */
export function rawValuesAt(rows: readonly RowValue[], at: number): string[] {
  return rows[at + RAW_VALUES] as string[];
}

/** Cells under their header, as a reject reports them (extra cells get a name of their own). */
export function rawRecord(headers: readonly string[], values: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  values.forEach((value, i) => {
    raw[headers[i] ?? `(field ${i + 1})`] = value;
  });
  return raw;
}
