import type { SourceItem, ThreadRow } from '../types.js';

/**
 * Items as they cross from the JSON thread: each plain row's fields laid end to end as strings and numbers,
 * its cells without their headers when they are the chunk's. Objects cost several times more to pass than
 * the same values in one flat array, on both sides of the crossing. Rejects (rare) and anything unusual
 * cross as they are, at their place among the rows.
 */
export interface ItemChunk {
  file: string;
  /** Headers of the rows' cells, in order, unless a row carries its own. */
  rawKeys: string[];
  values: unknown[];
  /** Items that cross whole, by their index in the chunk. */
  whole: [number, SourceItem][];
  count: number;
}

/** Marks cells laid as the values of the chunk's headers; otherwise a count of key, value pairs follows. */
const CHUNK_KEYS = -1;

function sameKeys(raw: Record<string, string>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in raw) {
    if (keys[i] !== key) return false;
    i += 1;
  }
  return i === keys.length;
}

function pushPairs(values: unknown[], object: object): void {
  const entries = Object.entries(object);
  values.push(entries.length);
  for (const [key, value] of entries) values.push(key, value);
}

/** Lays `items` (one file's) end to end for the crossing. */
export function encodeItems(items: readonly SourceItem[]): ItemChunk {
  const first = items.find((item) => item.kind === 'row');
  const file = first?.kind === 'row' ? first.row.pos.file : '';
  const rawKeys = first?.kind === 'row' ? Object.keys(first.row.raw) : [];
  const chunk: ItemChunk = { file, rawKeys, values: [], whole: [], count: items.length };
  const { values } = chunk;
  items.forEach((item, index) => {
    if (item.kind !== 'row' || item.row.pos.file !== file || item.row.attachments.length > 0) {
      chunk.whole.push([index, item]);
      return;
    }
    const r = item.row;
    values.push(
      r.pos.row,
      r.pos.line,
      r.conversationId,
      r.threadId ?? null,
      r.createdAt,
      r.text,
      r.role,
      r.authorEmail ?? null,
      r.authorName ?? null,
      r.subject ?? null,
      r.status ?? null,
      r.tags.length,
      ...r.tags,
    );
    pushPairs(values, r.customer);
    if (sameKeys(r.raw, rawKeys)) {
      values.push(CHUNK_KEYS);
      for (const key of rawKeys) values.push(r.raw[key]);
    } else pushPairs(values, r.raw);
  });
  return chunk;
}

/** The items of a chunk as they were encoded, each numbered by `nextSeq` in order. */
export function decodeItems(chunk: ItemChunk, nextSeq: () => number): SourceItem[] {
  const { values, rawKeys, file } = chunk;
  const items: SourceItem[] = [];
  let at = 0;
  let whole = 0;
  const next = () => values[at++];
  const pairs = (): Record<string, unknown> => {
    const object: Record<string, unknown> = {};
    const count = next() as number;
    for (let i = 0; i < count; i++) {
      const key = next() as string;
      object[key] = next();
    }
    return object;
  };
  for (let index = 0; index < chunk.count; index++) {
    const passed = chunk.whole[whole];
    if (passed !== undefined && passed[0] === index) {
      whole += 1;
      const item = passed[1];
      (item.kind === 'row' ? item.row.pos : item.reject.pos).seq = nextSeq();
      items.push(item);
      continue;
    }
    const pos = { file, row: next() as number, line: next() as number, seq: nextSeq() };
    const conversationId = next() as string;
    const threadId = next() as string | null;
    const createdAt = next() as string;
    const text = next() as string;
    const role = next() as ThreadRow['role'];
    const authorEmail = next() as string | null;
    const authorName = next() as string | null;
    const subject = next() as string | null;
    const status = next() as ThreadRow['status'] | null;
    const tags = values.slice(at, at + (values[at] as number) + 1).slice(1) as string[];
    at += tags.length + 1;
    const customer = pairs() as ThreadRow['customer'];
    const row: ThreadRow = {
      pos,
      conversationId,
      createdAt,
      text,
      role,
      customer,
      tags,
      attachments: [],
      raw: {},
    };
    if (threadId !== null) row.threadId = threadId;
    if (authorEmail !== null) row.authorEmail = authorEmail;
    if (authorName !== null) row.authorName = authorName;
    if (subject !== null) row.subject = subject;
    if (status !== null) row.status = status;
    if (values[at] === CHUNK_KEYS) {
      at += 1;
      for (const key of rawKeys) row.raw[key] = next() as string;
    } else row.raw = pairs() as Record<string, string>;
    items.push({ kind: 'row', row });
  }
  return items;
}
