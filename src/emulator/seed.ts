import type { EmulatorSeed } from './types.js';

/** The emulator's account: other tests and the demo rely on these exact values. */
export const DEFAULT_SEED: EmulatorSeed = {
  mailboxes: [{ id: 1, name: 'Support', slug: 'support', email: 'support@example.com' }],
  users: [
    // User 1 owns the tokens: `GET /v2/users/me` answers it and it is the default author of replies and notes.
    { id: 1, firstName: 'Anna', lastName: 'Keller', email: 'anna@example.com', role: 'admin', type: 'user' },
    { id: 2, firstName: 'Ben', lastName: 'Ortiz', email: 'ben@example.com', role: 'user', type: 'user' },
    { id: 3, firstName: 'Chloé', lastName: 'Martin', email: 'chloe@example.com', role: 'user', type: 'user' },
    { id: 4, firstName: 'Tier 2', lastName: '', email: '', type: 'team' },
  ],
  customers: [
    { id: 501, email: 'maria.rossi@example.org', firstName: 'Maria', lastName: 'Rossi' },
    { id: 502, email: 'kenji.sato@example.jp', firstName: 'Kenji', lastName: 'Sato' },
    { id: 503, email: 'amira.haddad@example.net', firstName: 'Amira', lastName: 'Haddad' },
  ],
};

/** The token owner. */
export const OWNER_USER_ID = 1;

/** First ids handed out; any increasing scheme would do. */
export const FIRST_IDS = {
  conversation: 100001,
  thread: 200001,
  customer: 600001,
  attachment: 700001,
  tag: 9001,
};

/** `createdAt` reported for seeded records. */
export const SEED_CREATED_AT = '2020-01-01T00:00:00Z';

/** Colour of a tag created by a write (conversation-get.yml: new tags are grey). */
export const DEFAULT_TAG_COLOR = '#A5B2BD';
