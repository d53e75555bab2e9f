import { estimateThreadBytes, type RequestLimits } from '../../api/request-size.js';
import { type PlanOptions, type PlanThread, planConversation } from '../../plan/plan-conversation.js';
import { SUBJECT_MAX } from '../../plan/subject.js';
import type { RowPosition, SourceItem, ThreadRow } from '../../source/types.js';
import { withinLimits } from '../within-limits.js';
import { KeyHashes } from './key-hashes.js';

/** What `validate` reports of an export: the figures staging, planning and the plan's totals give. */
export interface ValidateCounts {
  rowsRead: number;
  /** Valid as read (before planning rejects whole conversations). */
  rowsValid: number;
  rejected: number;
  subjectsCut: number;
  conversations: number;
  conversationsRejected: number;
  /** Rows of the conversations planning rejected. */
  rowsRejected: number;
  parts: number;
  splitConversations: number;
  threads: number;
  inline: number;
}

export function noCounts(): ValidateCounts {
  return {
    rowsRead: 0,
    rowsValid: 0,
    rejected: 0,
    subjectsCut: 0,
    conversations: 0,
    conversationsRejected: 0,
    rowsRejected: 0,
    parts: 0,
    splitConversations: 0,
    threads: 0,
    inline: 0,
  };
}

export function addCounts(into: ValidateCounts, more: ValidateCounts): void {
  for (const key of Object.keys(into) as (keyof ValidateCounts)[]) into[key] += more[key];
}

/** A rejected row as `validate` lists it, with its place in the export's order. */
export interface TalliedReject {
  seq: number;
  file: string;
  row: number;
  line: number;
  field: string;
  reason: string;
}

export interface TallyResult {
  counts: ValidateCounts;
  rejects: TalliedReject[];
  /** The conversation keys met, hashed and sorted: a key in two records (or two ranges) is found with them. */
  keys: Float64Array;
  /** Why these records cannot be counted one by one (a conversation over two records): stage them instead. */
  needsStaging?: string;
}

/**
 * `validate` of an export whose every record is one whole conversation, record by record and without a state
 * file: each record's rows are checked and its conversation planned as staging and planning would (stage.ts,
 * plan.ts), and only the figures are kept. What only staging can settle (a conversation over several records,
 * a repeated thread_id) is reported in `needsStaging` rather than guessed.
 */
export class RecordTally {
  private readonly counts = noCounts();
  private readonly rejects: TalliedReject[] = [];
  private readonly keys = new KeyHashes();
  needsStaging: string | undefined;

  constructor(
    private readonly options: PlanOptions,
    private readonly limits: RequestLimits,
  ) {}

  /** The items one record gave. */
  record(items: readonly SourceItem[]): void {
    // Nearly always one conversation a record: a map only when a second one shows.
    const first: ThreadRow[] = [];
    let others: Map<string, ThreadRow[]> | undefined;
    for (const original of items) {
      this.counts.rowsRead += 1;
      const item = withinLimits(original, this.limits);
      if (item.kind === 'reject') {
        const { pos, field, reason } = item.reject;
        this.reject(pos, field, reason);
        this.counts.rejected += 1;
        continue;
      }
      const { row } = item;
      this.counts.rowsValid += 1;
      if (row.subject !== undefined && row.subject.length > SUBJECT_MAX) this.counts.subjectsCut += 1;
      if (first.length === 0 || first[0]?.conversationId === row.conversationId) first.push(row);
      else {
        others ??= new Map();
        const rows = others.get(row.conversationId);
        if (rows) rows.push(row);
        else others.set(row.conversationId, [row]);
      }
    }
    if (first.length > 0) this.conversation((first[0] as ThreadRow).conversationId, first);
    for (const [key, rows] of others ?? []) this.conversation(key, rows);
  }

  result(): TallyResult {
    const result: TallyResult = { counts: this.counts, rejects: this.rejects, keys: this.keys.sorted() };
    if (this.needsStaging !== undefined) result.needsStaging = this.needsStaging;
    return result;
  }

  private conversation(key: string, rows: readonly ThreadRow[]): void {
    this.keys.add(key);
    const repeated = repeatedThreadId(rows);
    if (repeated !== undefined) {
      this.needsStaging ??= `thread_id "${repeated}" is repeated in conversation ${key}`;
      return;
    }
    const threads = rows.map(planThreadOf);
    const plan = planConversation(key, threads, undefined, threads, this.options);
    this.counts.conversations += 1;
    if (plan.kind === 'rejected') {
      this.counts.conversationsRejected += 1;
      this.counts.rowsRejected += rows.length;
      for (const row of rows) this.reject(row.pos, plan.field, plan.reason);
      return;
    }
    this.counts.parts += plan.parts.length;
    if (plan.parts.length > 1) this.counts.splitConversations += 1;
    for (const part of plan.parts) {
      this.counts.threads += part.threadIds.length;
      this.counts.inline += part.inline;
    }
  }

  private reject(pos: RowPosition, field: string, reason: string): void {
    this.rejects.push({ seq: pos.seq, file: pos.file, row: pos.row, line: pos.line, field, reason });
  }
}

/** What planning reads of a staged thread (plan-range.ts), taken from the row itself. */
function planThreadOf(row: ThreadRow, index: number): PlanThread {
  return {
    id: index,
    seq: row.pos.seq,
    createdAt: row.createdAt,
    threadId: row.threadId,
    bytes: estimateThreadBytes(row),
    subject: row.subject,
    customer: row.customer,
    tags: row.tags,
    status: row.status,
  };
}

function repeatedThreadId(rows: readonly ThreadRow[]): string | undefined {
  if (rows.length < 2) return undefined;
  const seen = new Set<string>();
  for (const { threadId } of rows) {
    if (threadId === undefined) continue;
    if (seen.has(threadId)) return threadId;
    seen.add(threadId);
  }
  return undefined;
}
