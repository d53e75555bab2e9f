import type { EmulatorOptions } from '../../src/emulator/index.js';
import { type Cassette, MARKERS } from './cassette.js';
import {
  type RecordedConversation,
  type RecordedCustomer,
  type RecordedMailbox,
  type RecordedThread,
  type RecordedUser,
  SeedBuilder,
} from './seed-from-recording.js';

/** How one recording is replayed: the account it needs and what of its answer cannot be reproduced. */
export interface Precondition {
  /** Emulator options besides clock, rate limit and credentials (set by the suite). */
  options: EmulatorOptions;
  /** Value paths (`[]` for indexes) compared by type only, each for a reason given beside it. */
  exemptValuePaths?: string[];
  /** `_embedded.<key>` whose items must come in the recorded order (seeded in reverse to prove the sort). */
  orderedList?: string;
}

type Library = ReadonlyMap<string, Cassette>;

/** The JSON answer of a recording's `index`th interaction (0 is the token call). */
function answer<T>(lib: Library, name: string, index = 1): T {
  const json = lib.get(name)?.interactions[index]?.response.json;
  if (json === undefined) throw new Error(`recording ${name} has no JSON answer at interaction ${index}`);
  return json as T;
}

function embedded<T>(lib: Library, name: string, key: string): T[] {
  const list = answer<{ _embedded: Record<string, T[]> }>(lib, name)._embedded[key];
  if (!list) throw new Error(`recording ${name} has no _embedded.${key}`);
  return list;
}

/** Every recording predates 2023's thread `Resource-ID`; all but one predate the templated page link. */
const ERA_2019: EmulatorOptions = {
  threadIdHeader: false,
  pageLinkTemplated: false,
  tokenExpiresInSeconds: 7200,
};
const ERA_2020: EmulatorOptions = {
  threadIdHeader: false,
  pageLinkTemplated: true,
  tokenExpiresInSeconds: 172800,
};

/** The account's test customer, as customer-get.yml shows it. */
const testCustomer = (lib: Library) => answer<RecordedCustomer>(lib, 'customer-get');
/** The test conversation, as conversation-get.yml shows it. */
const testConversation = (lib: Library) => answer<RecordedConversation>(lib, 'conversation-get');

const PRECONDITIONS: Record<string, (lib: Library) => Precondition> = {
  'access-token-create': () => ({ options: { ...ERA_2019, seed: new SeedBuilder().build() } }),

  'conversation-create': (lib) => ({
    options: { ...ERA_2019, seed: new SeedBuilder().customer(testCustomer(lib)).build() },
  }),

  'conversation-get': (lib) => ({
    options: { ...ERA_2019, seed: new SeedBuilder().conversation(testConversation(lib)).build() },
  }),

  'conversation-update-tags': (lib) => {
    const before = answer<RecordedConversation>(lib, 'conversation-update-tags', 1);
    const b = new SeedBuilder().conversation(before);
    // The account already has these tags (conversation-get.yml): the PUT must reuse them by name.
    for (const t of testConversation(lib).tags) b.tag({ id: t.id, name: t.tag, color: t.color });
    return { options: { ...ERA_2019, seed: b.build() } };
  },

  'conversation-list': (lib) => {
    const b = new SeedBuilder();
    for (const c of [
      ...embedded<RecordedConversation>(lib, 'conversation-list', 'conversations'),
    ].reverse()) {
      b.conversation(c);
    }
    // The mailbox's closed conversation exists but is not listed without `status`.
    b.conversation(testConversation(lib));
    return { options: { ...ERA_2019, seed: b.build() }, orderedList: 'conversations' };
  },

  'thread-create': (lib) => ({
    options: { ...ERA_2019, seed: new SeedBuilder().conversation(testConversation(lib)).build() },
  }),

  'thread-get': (lib) => {
    const threads = embedded<RecordedThread>(lib, 'thread-get', 'threads');
    const conversation = {
      ...testConversation(lib),
      id: MARKERS.TEST_CONVERSATION_ID,
      threads: threads.length,
    };
    const seed = new SeedBuilder().conversation(conversation, [...threads].reverse()).build();
    return { options: { ...ERA_2019, seed, threadPageSize: 25 }, orderedList: 'threads' };
  },

  'thread-list': (lib) => {
    const threads = embedded<RecordedThread>(lib, 'thread-list', 'threads');
    const conversation = { ...testConversation(lib), threads: threads.length };
    const seed = new SeedBuilder().conversation(conversation, threads).build();
    // Recorded six weeks before thread-get.yml, when a thread page held 50.
    return { options: { ...ERA_2019, seed, threadPageSize: 50 } };
  },

  'attachment-create': (lib) => {
    const thread = embedded<RecordedThread>(lib, 'thread-list', 'threads')[0];
    if (!thread) throw new Error('thread-list.yml lists no thread');
    const conversation = { ...testConversation(lib), threads: 1 };
    const seed = new SeedBuilder()
      .conversation(conversation, [{ ...thread, id: MARKERS.TEST_THREAD_ID, _embedded: { attachments: [] } }])
      .build();
    return { options: { ...ERA_2019, seed } };
  },

  'customer-get': (lib) => ({
    options: { ...ERA_2019, seed: new SeedBuilder().customer(testCustomer(lib)).build() },
  }),

  'customer-list': (lib) => {
    const b = new SeedBuilder();
    for (const c of [...embedded<RecordedCustomer>(lib, 'customer-list', 'customers')].reverse())
      b.customer(c);
    // One older customer, so that a second page exists as recorded; not all 49,299.
    b.customer({
      id: b.syntheticId(),
      firstName: 'Older',
      createdAt: '2010-01-01T00:00:00Z',
      updatedAt: '2010-01-01T00:00:00Z',
      _embedded: { emails: [{ id: 1, value: 'older@example.com' }], websites: [], social_profiles: [] },
    });
    return {
      options: { ...ERA_2019, seed: b.build() },
      // 51 customers seeded instead of 49,299: the totals and the last page number differ by design.
      exemptValuePaths: ['$.page.totalElements', '$.page.totalPages', '$._links.last.href'],
      orderedList: 'customers',
    };
  },

  'customer-list-query': (lib) => ({
    options: { ...ERA_2020, seed: new SeedBuilder().customer(testCustomer(lib)).build() },
  }),

  'mailbox-get': (lib) => {
    const b = new SeedBuilder();
    for (const m of embedded<RecordedMailbox>(lib, 'mailbox-list', 'mailboxes')) b.mailbox(m);
    return { options: { ...ERA_2019, seed: b.build() } };
  },

  'mailbox-list': (lib) => {
    const b = new SeedBuilder();
    for (const m of [...embedded<RecordedMailbox>(lib, 'mailbox-list', 'mailboxes')].reverse()) b.mailbox(m);
    return { options: { ...ERA_2019, seed: b.build() }, orderedList: 'mailboxes' };
  },

  'user-get': (lib) => ({
    options: { ...ERA_2019, seed: new SeedBuilder().user(answer<RecordedUser>(lib, 'user-get')).build() },
  }),

  'user-list': (lib) => {
    const b = new SeedBuilder();
    const recorded = embedded<RecordedUser>(lib, 'user-list', 'users');
    for (const u of recorded) b.user(u);
    // The account had 128 users and teams: the rest, unseen in the first page, are filler.
    for (let i = recorded.length; i < 128; i++) {
      const id = b.syntheticId();
      b.user({ id, firstName: `Filler${i}`, lastName: '', email: '', type: 'team' });
    }
    // Order: the recording's rule for users is unknown (not by id, not by creation), so not checked.
    return { options: { ...ERA_2019, seed: b.build() } };
  },
};

export function preconditionsFor(cassette: Cassette, lib: Library): Precondition {
  const make = PRECONDITIONS[cassette.name];
  if (!make) throw new Error(`no preconditions for recording ${cassette.name}: add them in preconditions.ts`);
  return make(lib);
}
