import type {
  EmulatorSeed,
  SeedConversation,
  SeedCustomer,
  SeedMailbox,
  SeedThread,
  SeedUser,
  StoredAttachment,
  StoredTag,
} from '../../src/emulator/index.js';
import { MARKERS } from './cassette.js';
import type { PersonRef, RecordedConversation, RecordedCustomer, RecordedThread } from './recorded-types.js';

export type {
  RecordedConversation,
  RecordedCustomer,
  RecordedMailbox,
  RecordedThread,
  RecordedUser,
} from './recorded-types.js';

/**
 * Recorded resources turned into the emulator's seed, so that the emulator holds what Help Scout held when
 * the recording was made. Only what a read shows is taken; nothing here is invented except where a
 * recording shows a count without the items (a conversation's threads).
 */

/** A base64 payload of `size` bytes: the recordings keep sizes, not contents. */
const payloadOf = (size: number) => Buffer.alloc(size, 'x').toString('base64');

export class SeedBuilder {
  private readonly mailboxes = new Map<number, SeedMailbox>();
  private readonly users = new Map<number, SeedUser>();
  private readonly customers = new Map<number, SeedCustomer>();
  private readonly conversations: SeedConversation[] = [];
  private readonly tags = new Map<string, StoredTag>();
  private nextSyntheticId = 990_000_001;

  constructor() {
    // Every recording's account has the test mailbox; mailbox recordings replace it with the recorded one.
    this.mailbox({
      id: MARKERS.TEST_MAILBOX_ID,
      name: 'Test mailbox',
      slug: 'test',
      email: 'mailbox@example.com',
      createdAt: '2017-10-30T18:36:04Z',
      updatedAt: '2017-10-30T18:36:04Z',
    });
  }

  mailbox(m: SeedMailbox): this {
    this.mailboxes.set(m.id, { ...m });
    return this;
  }

  user(u: SeedUser): this {
    this.users.set(u.id, { ...u });
    return this;
  }

  customer(c: RecordedCustomer): this {
    const email = c._embedded.emails[0]?.value;
    const seed: SeedCustomer = {
      id: c.id,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      websites: c._embedded.websites.map((w) => ({ id: w.id, value: w.value })),
      socialProfiles: c._embedded.social_profiles.map((s) => ({ id: s.id, type: s.type, value: s.value })),
      ...(email !== undefined ? { email } : {}),
    };
    for (const key of [
      'firstName',
      'lastName',
      'gender',
      'jobTitle',
      'location',
      'organization',
      'photoType',
      'photoUrl',
      'age',
      'background',
    ] as const) {
      const value = c[key];
      if (value !== undefined) seed[key] = value;
    }
    this.customers.set(c.id, seed);
    return this;
  }

  /** A person a conversation or thread names, unless the account already has them in full. */
  private person(ref: PersonRef, kind: 'customer' | 'user'): void {
    const known = kind === 'user' ? this.users : this.customers;
    if (known.has(ref.id)) return;
    known.set(ref.id, {
      id: ref.id,
      firstName: ref.first,
      lastName: ref.last,
      email: ref.email,
      ...(ref.photoUrl !== undefined ? { photoUrl: ref.photoUrl } : {}),
    });
  }

  thread(t: RecordedThread): SeedThread {
    this.person(t.customer, 'customer');
    this.person(t.createdBy, t.createdBy.type);
    if (t.assignedTo) this.person(t.assignedTo, 'user');
    const attachments: StoredAttachment[] = (t._embedded?.attachments ?? []).map((a) => ({
      id: a.id,
      fileName: a.filename,
      mimeType: a.mimeType,
      data: payloadOf(a.size),
      size: a.size,
    }));
    return {
      id: t.id,
      type: t.type,
      body: t.body,
      createdAt: t.createdAt,
      customerId: t.customer.id,
      createdBy: { type: t.createdBy.type, id: t.createdBy.id },
      attachments,
      ...(t.source ? { source: t.source } : {}),
      ...(t.action ? { actionType: t.action.type } : {}),
      ...(t.assignedTo ? { assignedToId: t.assignedTo.id } : {}),
      ...(t.savedReplyId !== undefined ? { savedReplyId: t.savedReplyId } : {}),
      ...(t.openedAt !== undefined ? { openedAt: t.openedAt } : {}),
    };
  }

  /**
   * A conversation as a read showed it. Its threads, when not given, are stand-ins for the recorded count
   * (a conversation read shows how many, not what they are).
   */
  conversation(c: RecordedConversation, threads?: RecordedThread[]): this {
    this.person(c.primaryCustomer, 'customer');
    this.person(c.createdBy, c.createdBy.type);
    if (c.assignee) this.person(c.assignee, 'user');
    for (const t of c.tags) this.tag({ id: t.id, name: t.tag, color: t.color });
    const seeded =
      threads?.map((t) => this.thread(t)) ??
      Array.from(
        { length: c.threads },
        (): SeedThread => ({
          id: this.nextSyntheticId++,
          type: 'customer',
          body: c.preview,
          createdAt: c.createdAt,
          customerId: c.primaryCustomer.id,
          createdBy: { type: c.createdBy.type, id: c.createdBy.id },
        }),
      );
    this.conversations.push({
      id: c.id,
      number: c.number,
      subject: c.subject,
      type: c.type,
      mailboxId: c.mailboxId,
      status: c.status,
      customerId: c.primaryCustomer.id,
      createdBy: { type: c.createdBy.type, id: c.createdBy.id },
      createdAt: c.createdAt,
      modifiedAt: c.userUpdatedAt,
      ...(c.closedAt !== undefined ? { closedAt: c.closedAt } : {}),
      closedBy: c.closedBy,
      folderId: c.folderId,
      source: c.source,
      waitingSince: c.customerWaitingSince,
      assigneeId: c.assignee?.id ?? null,
      tags: c.tags.map((t) => t.tag),
      threads: seeded,
    });
    return this;
  }

  tag(t: StoredTag): this {
    this.tags.set(t.name, { ...t });
    return this;
  }

  /** An id no recording uses, for filler records. */
  syntheticId(): number {
    return this.nextSyntheticId++;
  }

  build(): EmulatorSeed {
    return {
      mailboxes: [...this.mailboxes.values()],
      users: [...this.users.values()],
      customers: [...this.customers.values()],
      conversations: this.conversations,
      tags: [...this.tags.values()],
    };
  }
}
