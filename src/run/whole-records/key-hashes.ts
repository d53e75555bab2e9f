/**
 * Conversation keys kept as 53-bit hashes (8 bytes each, not a string each), to find a key met twice. Two
 * keys may share a hash: that reads as "met twice", which only sends `validate` the slower, exact way
 * (validate-whole-records.ts). With 10 million keys the chance of it is about one in 200.
 */
export class KeyHashes {
  private hashes = new Float64Array(1024);
  private size = 0;

  add(key: string): void {
    if (this.size === this.hashes.length) {
      const grown = new Float64Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.size] = hash53(key);
    this.size += 1;
  }

  /** The hashes in order (a copy of exactly their number, to send to another thread). */
  sorted(): Float64Array {
    return this.hashes.slice(0, this.size).sort();
  }
}

/** Whether sorted lists of hashes hold one value twice, within a list or across them. */
export function anyRepeated(lists: readonly Float64Array[]): boolean {
  const all = new Float64Array(lists.reduce((n, list) => n + list.length, 0));
  let at = 0;
  for (const list of lists) {
    all.set(list, at);
    at += list.length;
  }
  all.sort();
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) return true;
  return false;
}

/** cyrb53: two 32-bit multiplicative hashes of the UTF-16 code units, mixed into 53 bits. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
