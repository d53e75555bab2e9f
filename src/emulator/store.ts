import type { Mutation } from './mutations.js';
import { DEFAULT_TAG_COLOR, FIRST_IDS, SEED_CREATED_AT } from './seed.js';
import type {
  EmulatorSeed,
  EmulatorState,
  SeedConversation,
  SeedMailbox,
  SeedUser,
  StoredConversation,
  StoredCustomer,
  StoredTag,
} from './types.js';

type IdKind = keyof typeof FIRST_IDS;

/** A customer's addresses, the primary first. */
export const emailsOf = (c: Pick<StoredCustomer, 'email' | 'emails'>): string[] =>
  [c.email, ...(c.emails ?? [])].filter((e): e is string => typeof e === 'string' && e !== '');

/** The emulator's account in memory. Only `apply` changes it, so live requests and journal replay agree. */
export class Store {
  readonly mailboxes = new Map<number, SeedMailbox>();
  readonly users = new Map<number, SeedUser>();
  readonly customers = new Map<number, StoredCustomer>();
  readonly conversations = new Map<number, StoredConversation>();
  private readonly customerIdByEmail = new Map<string, number>();
  private readonly tagsByName = new Map<string, StoredTag>();
  private readonly nextId: Record<IdKind, number> = { ...FIRST_IDS };
  private nextNumber = 1;

  constructor(seed: EmulatorSeed) {
    for (const m of seed.mailboxes) this.mailboxes.set(m.id, { ...m });
    for (const u of seed.users) this.users.set(u.id, { role: 'user', type: 'user', ...u });
    for (const c of seed.customers) this.addCustomer({ ...c, createdAt: c.createdAt ?? SEED_CREATED_AT });
    for (const t of seed.tags ?? []) this.addTag(t);
    for (const c of seed.conversations ?? []) this.addSeedConversation(c);
  }

  /** A pre-existing conversation: visible to search at once, its tags created on the fly like a write would. */
  private addSeedConversation(seed: SeedConversation): void {
    const { threads, tags, imported, ...rest } = seed;
    const conv: StoredConversation = {
      ...structuredClone(rest),
      imported: imported ?? false,
      tags: [...(tags ?? [])],
      threads: threads.map((t) => ({
        ...structuredClone(t),
        imported: t.imported ?? false,
        attachments: t.attachments ?? [],
      })),
      insertedAtMs: Number.MIN_SAFE_INTEGER,
    };
    for (const name of conv.tags) {
      if (!this.tag(name)) this.addTag({ id: this.allocate('tag'), name, color: DEFAULT_TAG_COLOR });
    }
    this.conversations.set(conv.id, conv);
    this.see('conversation', conv.id);
    this.nextNumber = Math.max(this.nextNumber, conv.number + 1);
    for (const t of conv.threads) this.seeThread(t);
  }

  /** Hands out a new id; ids burnt by a request that later fails are simply skipped. */
  allocate(kind: IdKind): number {
    const id = this.nextId[kind];
    this.nextId[kind] = id + 1;
    return id;
  }

  allocateNumber(): number {
    return this.nextNumber++;
  }

  customerByEmail(email: string): StoredCustomer | undefined {
    const id = this.customerIdByEmail.get(email.toLowerCase());
    return id === undefined ? undefined : this.customers.get(id);
  }

  tag(name: string): StoredTag | undefined {
    return this.tagsByName.get(name);
  }

  apply(m: Mutation): void {
    switch (m.op) {
      case 'createConversation': {
        for (const c of m.newCustomers) this.addCustomer(c);
        for (const t of m.newTags) this.addTag(t);
        const conv = structuredClone(m.conversation);
        this.conversations.set(conv.id, conv);
        this.see('conversation', conv.id);
        this.nextNumber = Math.max(this.nextNumber, conv.number + 1);
        for (const t of conv.threads) this.seeThread(t);
        return;
      }
      case 'addThread': {
        for (const c of m.newCustomers) this.addCustomer(c);
        const conv = this.mustGet(m.conversationId);
        conv.threads.push(structuredClone(m.thread));
        this.seeThread(m.thread);
        conv.modifiedAt = m.modifiedAt;
        if (m.status) conv.status = m.status;
        if (m.closedAt) conv.closedAt = m.closedAt;
        return;
      }
      case 'addAttachment': {
        const conv = this.mustGet(m.conversationId);
        const thread = conv.threads.find((t) => t.id === m.threadId);
        if (!thread) throw new Error(`journal names unknown thread ${m.threadId}`);
        thread.attachments.push({ ...m.attachment });
        this.see('attachment', m.attachment.id);
        conv.modifiedAt = m.modifiedAt;
        return;
      }
      case 'setTags': {
        for (const t of m.newTags) this.addTag(t);
        const conv = this.mustGet(m.conversationId);
        conv.tags = [...m.tags];
        conv.modifiedAt = m.modifiedAt;
        return;
      }
      case 'deleteConversation':
        if (m.keepAsDeleted) this.mustGet(m.conversationId).deleted = true;
        else this.conversations.delete(m.conversationId);
        return;
      case 'merge': {
        const from = this.mustGet(m.from);
        const into = this.mustGet(m.into);
        // Help Scout moves the threads into the surviving conversation; the old id only redirects.
        into.threads.push(...from.threads);
        from.threads = [];
        from.mergedInto = into.id;
        into.modifiedAt = m.modifiedAt;
        return;
      }
    }
  }

  snapshot(): EmulatorState {
    return structuredClone({
      mailboxes: [...this.mailboxes.values()],
      users: [...this.users.values()],
      customers: [...this.customers.values()],
      conversations: [...this.conversations.values()],
      tags: [...this.tagsByName.values()],
    });
  }

  private mustGet(id: number): StoredConversation {
    const conv = this.conversations.get(id);
    if (!conv) throw new Error(`journal names unknown conversation ${id}`);
    return conv;
  }

  private addCustomer(c: StoredCustomer): void {
    this.customers.set(c.id, { ...c });
    for (const e of emailsOf(c)) this.customerIdByEmail.set(e.toLowerCase(), c.id);
    this.see('customer', c.id);
  }

  private addTag(t: StoredTag): void {
    this.tagsByName.set(t.name, { ...t });
    this.see('tag', t.id);
  }

  private seeThread(t: { id: number; attachments: { id: number }[] }): void {
    this.see('thread', t.id);
    for (const a of t.attachments) this.see('attachment', a.id);
  }

  /** Keeps id counters ahead of every id applied (seeded or replayed). */
  private see(kind: IdKind, id: number): void {
    if (id >= this.nextId[kind]) this.nextId[kind] = id + 1;
  }
}
