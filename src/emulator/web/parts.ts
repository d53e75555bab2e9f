import type { StoredConversation } from '../types.js';

/**
 * A split conversation's parts carry no link in Help Scout, only their subjects: the import's default part
 * subject is `{subject} (part {part} of {parts})`, and every part has the same customer and tags.
 */
const PART_SUBJECT = /^(.*) \(part (\d+) of (\d+)\)$/s;

export interface PartLink {
  id: number;
  part: number;
  parts: number;
}

export function partOf(subject: string): { base: string; part: number; parts: number } | undefined {
  const m = PART_SUBJECT.exec(subject);
  if (!m) return undefined;
  const part = Number(m[2]);
  const parts = Number(m[3]);
  return part >= 1 && part <= parts ? { base: m[1] as string, part, parts } : undefined;
}

/**
 * Conversation id → the parts of its source conversation in part order (itself included). Parts are matched
 * by mailbox, customer, tags and subject; when two source conversations share all of these, each part joins
 * the earliest chain that ends with the part before it (parts are in time order).
 */
export function linkParts(conversations: Iterable<Readonly<StoredConversation>>): Map<number, PartLink[]> {
  const groups = new Map<string, { c: Readonly<StoredConversation>; link: PartLink }[]>();
  for (const c of conversations) {
    const p = partOf(c.subject);
    if (!p) continue;
    const key = JSON.stringify([c.mailboxId, c.customerId, p.base, p.parts, [...c.tags].sort()]);
    const group = groups.get(key) ?? [];
    group.push({ c, link: { id: c.id, part: p.part, parts: p.parts } });
    groups.set(key, group);
  }
  const out = new Map<number, PartLink[]>();
  for (const group of groups.values()) {
    group.sort((a, b) => compare(a.c.createdAt, b.c.createdAt) || a.c.id - b.c.id);
    const chains: PartLink[][] = [];
    for (const { link } of group) {
      const chain =
        link.part === 1 ? undefined : chains.find((ch) => ch[ch.length - 1]?.part === link.part - 1);
      if (chain) chain.push(link);
      else chains.push([link]);
    }
    for (const chain of chains) for (const link of chain) out.set(link.id, chain);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
