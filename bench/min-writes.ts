import { API_LIMITS } from '../src/api/api-types.js';

/**
 * A lower bound of a thread's bytes inside a request: its text as a JSON string, its files in base64, and
 * the shortest keys and values any client must send with it (`{"type":"chat","text":…,"createdAt":"…Z"}`).
 */
export const THREAD_FLOOR_BYTES = 48;
/** Likewise for Create Conversation's envelope (subject, type, mailboxId, status, customer, threads). */
export const ENVELOPE_FLOOR_BYTES = 96;

export interface ThreadSize {
  bytes: number;
}

/** Lower bound of what one thread adds to a body. */
export function threadFloorBytes(text: string, attachmentSizes: readonly number[]): number {
  let bytes = THREAD_FLOOR_BYTES + Buffer.byteLength(JSON.stringify(text));
  for (const size of attachmentSizes) bytes += Math.ceil(size / 3) * 4;
  return bytes;
}

/**
 * The fewest writes that can import one conversation's ordered threads without making more Help Scout
 * conversations than the thread cap forces. A part is one Create Conversation holding a prefix of its
 * threads inline (at most 100, within `maxBytes`), plus one write for each further thread appended (a part
 * that grows by appends holds at most 99). Among the layouts with the fewest parts, the fewest writes.
 * Without large files this is ceil(threads / 100).
 */
export function minimumWrites(
  threads: readonly ThreadSize[],
  maxBytes: number = API_LIMITS.createConversationBytes,
): number {
  const n = threads.length;
  if (n === 0) return 0;
  // fit[i]: how many threads from i fit inline in one create (at least 1: a thread alone always goes).
  const fit = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let bytes = ENVELOPE_FLOOR_BYTES;
    let count = 0;
    while (i + count < n && count < API_LIMITS.maxInlineThreads) {
      const next = (threads[i + count] as ThreadSize).bytes + 1;
      if (count > 0 && bytes + next > maxBytes) break;
      bytes += next;
      count += 1;
    }
    fit[i] = count;
  }
  // best[i]: [parts, writes] to import threads i..n-1, compared parts first.
  const best: [number, number][] = new Array(n + 1);
  best[n] = [0, 0];
  for (let i = n - 1; i >= 0; i--) {
    let chosen: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    const inline = fit[i] as number;
    const longest = Math.min(n - i, Math.max(inline, API_LIMITS.appendCapThreads));
    for (let size = 1; size <= longest; size++) {
      if (size > inline && size > API_LIMITS.appendCapThreads) break;
      const rest = best[i + size] as [number, number];
      const writes = 1 + Math.max(0, size - inline) + rest[1];
      const parts = 1 + rest[0];
      if (parts < chosen[0] || (parts === chosen[0] && writes < chosen[1])) chosen = [parts, writes];
    }
    best[i] = chosen;
  }
  return (best[0] as [number, number])[1];
}
