import type { SourceItem, ThreadRow } from '../types.js';

/**
 * Items as they cross from the JSON thread. Objects cost several times more to receive than the same values
 * flat: so each plain row's strings are laid end to end in `strings` (null for an absent one) and its numbers
 * in `numbers`; its cells go without their headers when they are the chunk's. Rejects (rare) and anything
 * unusual cross whole, at their place among the rows.
 */
export interface ItemChunk {
  file: string;
  /** Headers of the rows' cells, in order, unless a row carries its own. */
  rawKeys: string[];
  strings: (string | null)[];
  /** Per row: row, line, number of tags, number of own cells (CHUNK_KEYS: the chunk's headers). */
  numbers: Float64Array;
  /** Items that cross whole, by their index in the chunk. */
  whole: [number, SourceItem][];
  count: number;
}

/** Marks cells laid as the values of the chunk's headers. */
const CHUNK_KEYS = -1;

function sameKeys(raw: Record<string, string>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in raw) {
    if (keys[i] !== key) return false;
    i += 1;
  }
  return i === keys.length;
}

function isPlainRow(item: SourceItem, file: string): item is { kind: 'row'; row: ThreadRow } {
  return item.kind === 'row' && item.row.pos.file === file && item.row.attachments.length === 0;
}

/** Lays `items` (one file's) end to end for the crossing. */
export function encodeItems(items: readonly SourceItem[]): ItemChunk {
  const first = items.find((item) => item.kind === 'row');
  const file = first?.kind === 'row' ? first.row.pos.file : '';
  const rawKeys = first?.kind === 'row' ? Object.keys(first.row.raw) : [];
  const strings: (string | null)[] = [];
  const numbers: number[] = [];
  const whole: [number, SourceItem][] = [];
  const put = (value: string | undefined) => {
    strings.push(value ?? null);
  };
  items.forEach((item, index) => {
    if (!isPlainRow(item, file)) {
      whole.push([index, item]);
      return;
    }
    const r = item.row;
    put(r.conversationId);
    put(r.threadId);
    put(r.createdAt);
    put(r.text);
    put(r.role);
    put(r.authorEmail);
    put(r.authorName);
    put(r.subject);
    put(r.status);
    put(Object.keys(r.customer).length === 0 ? undefined : JSON.stringify(r.customer));
    for (const tag of r.tags) put(tag);
    const own = sameKeys(r.raw, rawKeys);
    if (own) for (const key of rawKeys) put(r.raw[key]);
    else {
      for (const key in r.raw) {
        put(key);
        put(r.raw[key]);
      }
    }
    numbers.push(r.pos.row, r.pos.line, r.tags.length, own ? CHUNK_KEYS : Object.keys(r.raw).length);
  });
  return {
    file,
    rawKeys,
    strings,
    numbers: Float64Array.from(numbers),
    whole,
    count: items.length,
  };
}

/** The items of a chunk as they were encoded, each numbered by `nextSeq` in order. */
export function decodeItems(chunk: ItemChunk, nextSeq: () => number): SourceItem[] {
  const { strings, numbers, rawKeys, file } = chunk;
  const items: SourceItem[] = [];
  let slot = 0;
  let number = 0;
  let whole = 0;
  const next = (): string | undefined => strings[slot++] ?? undefined;
  for (let index = 0; index < chunk.count; index++) {
    const passed = chunk.whole[whole];
    if (passed !== undefined && passed[0] === index) {
      whole += 1;
      const item = passed[1];
      (item.kind === 'row' ? item.row.pos : item.reject.pos).seq = nextSeq();
      items.push(item);
      continue;
    }
    const conversationId = next() as string;
    const threadId = next();
    const createdAt = next() as string;
    const message = next() as string;
    const role = next() as ThreadRow['role'];
    const authorEmail = next();
    const authorName = next();
    const subject = next();
    const status = next() as ThreadRow['status'];
    const customer = next();
    const pos = { file, row: numbers[number] as number, line: numbers[number + 1] as number, seq: nextSeq() };
    const tagCount = numbers[number + 2] as number;
    const cellCount = numbers[number + 3] as number;
    number += 4;
    const built: ThreadRow = {
      pos,
      conversationId,
      createdAt,
      text: message,
      role,
      customer: customer === undefined ? {} : JSON.parse(customer),
      tags: [],
      attachments: [],
      raw: {},
    };
    for (let i = 0; i < tagCount; i++) built.tags.push(next() as string);
    if (cellCount === CHUNK_KEYS) for (const key of rawKeys) built.raw[key] = next() as string;
    else {
      for (let i = 0; i < cellCount; i++) {
        const key = next() as string;
        built.raw[key] = next() as string;
      }
    }
    if (threadId !== undefined) built.threadId = threadId;
    if (authorEmail !== undefined) built.authorEmail = authorEmail;
    if (authorName !== undefined) built.authorName = authorName;
    if (subject !== undefined) built.subject = subject;
    if (status !== undefined) built.status = status;
    items.push({ kind: 'row', row: built });
  }
  return items;
}
