import { API_LIMITS } from '../api/api-types.js';

/** What the splitter needs of a thread: its estimated size inside a Create Conversation body. */
export interface Sized {
  bytes: number;
}

export type Strategy = 'batch' | 'per-thread';

export interface SplitOptions {
  strategy: Strategy;
  /** Largest Create Conversation body, in bytes. */
  maxRequestBytes: number;
  /** Bytes of the conversation envelope (subject, customer, tags…) besides the threads. */
  envelopeBytes: number;
}

/** A planned part: `inline` threads go inside Create Conversation; the rest are appended one by one. */
export interface PartSlice<T> {
  threads: T[];
  inline: number;
  /**
   * The part's first thread is too large for Create Conversation with its attachments: it goes inline
   * without them, and they are uploaded to it afterwards, one request each.
   */
  deferFirstAttachments: boolean;
}

/**
 * Splits one conversation's ordered threads into parts that Help Scout accepts:
 * - a part created with all its threads inline holds at most 100 (more → 412);
 * - a part that grows by appends holds at most 99 (an append to a conversation of 99 or more → 412);
 * - the inline threads of a part fit in `maxRequestBytes`; those that don't are appended.
 * `per-thread` creates each part with its first thread only and appends the rest.
 * A first thread too large for Create Conversation goes inline without its attachments (uploaded later).
 * A single thread too large for any request is the caller's to reject before planning.
 */
export function splitIntoParts<T extends Sized>(
  threads: readonly T[],
  options: SplitOptions,
): PartSlice<T>[] {
  const parts: PartSlice<T>[] = [];
  let start = 0;
  while (start < threads.length) {
    const remaining = threads.length - start;
    const first = threads[start] as T;
    const oversized = options.envelopeBytes + first.bytes > options.maxRequestBytes;
    if (options.strategy === 'per-thread' || oversized) {
      const size = Math.min(remaining, API_LIMITS.appendCapThreads);
      parts.push({
        threads: threads.slice(start, start + size),
        inline: 1,
        deferFirstAttachments: oversized,
      });
      start += size;
      continue;
    }
    const inline = inlinePrefix(threads, start, options);
    // All inline: up to 100. Any appended thread: the part can hold only 99 in all.
    const size =
      inline === Math.min(remaining, API_LIMITS.maxInlineThreads)
        ? inline
        : Math.min(remaining, API_LIMITS.appendCapThreads);
    parts.push({
      threads: threads.slice(start, start + size),
      inline: Math.min(inline, size),
      deferFirstAttachments: false,
    });
    start += size;
  }
  return parts;
}

/** How many threads from `start` fit inline: at most 100, within the byte limit, and at least one. */
function inlinePrefix<T extends Sized>(threads: readonly T[], start: number, options: SplitOptions): number {
  let bytes = options.envelopeBytes;
  let count = 0;
  while (start + count < threads.length && count < API_LIMITS.maxInlineThreads) {
    const next = threads[start + count] as T;
    // +1 for the comma between array items.
    if (count > 0 && bytes + next.bytes + 1 > options.maxRequestBytes) break;
    bytes += next.bytes + 1;
    count += 1;
  }
  return Math.max(1, count);
}
