import type { z } from 'zod';
import type { AuthorRole, jsonShapeSchema } from '../../config/schema.js';

type ShapeInput = z.input<typeof jsonShapeSchema>;
type Fields = NonNullable<ShapeInput['conversation']>;

/** A JSON platform's export: its record shapes and its role words. */
export interface JsonPreset {
  shapes: ShapeInput[];
  roles: Record<string, AuthorRole>;
}

/**
 * Zendesk's JSON export: a ticket a line, `comments` inside. `plain_body` holds HTML entities and is missing on
 * some comments (then `body`). An author is the customer when their id is the requester's, and a comment with
 * `public: false` is an internal note. Authors are looked up in a `users` list when the export includes one.
 */
const zendesk: JsonPreset = {
  roles: {},
  shapes: [
    {
      messages: 'comments',
      conversation: {
        conversation_id: 'id',
        subject: ['subject', 'raw_subject'],
        tags: 'tags',
        status: 'status',
        customer_email: ['requester.email', 'via.source.from.address'],
      },
      message: {
        fields: {
          thread_id: 'id',
          created_at: ['created_at', '$.created_at'],
          text: ['plain_body', 'body'],
          author_email: ['@user.email', 'via.source.from.address'],
          author_name: ['@user.name', 'via.source.from.name'],
          attachments: 'attachments.content_url',
        },
        roleRules: [
          { path: 'public', equals: false, role: 'note' },
          { path: 'author_id', equalsPath: '$.requester.id', role: 'customer' },
          { path: 'author_id', equalsPath: '$.requester_id', role: 'customer' },
          { role: 'agent' },
        ],
      },
      users: { list: '$.users', id: 'id', by: 'author_id' },
      statuses: { new: 'active', open: 'active', pending: 'pending', hold: 'pending', solved: 'closed' },
      entities: true,
    },
  ],
};

const intercomMessage: Fields = {
  thread_id: 'id',
  created_at: ['created_at', '$.created_at'],
  text: 'body',
  author_role: 'author.type',
  author_email: 'author.email',
  author_name: 'author.name',
};
const intercomNote = [{ path: 'part_type', equals: 'note', role: 'note' as const }];
const intercomConversation = (when: ShapeInput['when'], record?: string): ShapeInput => ({
  when,
  ...(record === undefined ? {} : { record }),
  messages: 'conversation_parts.conversation_parts',
  conversation: { conversation_id: 'id', subject: 'source.subject', tags: 'tags.tags.name', status: 'state' },
  first: { path: 'source', fields: intercomMessage },
  message: { fields: intercomMessage, roleRules: intercomNote },
  skip: [{ path: 'body', empty: true }],
  statuses: { open: 'active', snoozed: 'pending' },
  html: true,
  customerFromAuthor: true,
});
const intercomPart = (when: ShapeInput['when'], record?: string): ShapeInput => ({
  when,
  ...(record === undefined ? {} : { record }),
  message: { fields: { ...intercomMessage, conversation_id: 'conversation_id' }, roleRules: intercomNote },
  skip: [{ path: 'body', empty: true }],
  html: true,
  customerFromAuthor: true,
});

/**
 * Intercom's REST objects, bare or in Airbyte/Singer envelopes (`{"stream":…,"data":{…}}`): conversations, whose
 * `source` is the first message, and their parts, nested or as records of their own. Assignment and close
 * parts have no body and are no messages.
 */
const intercom: JsonPreset = {
  roles: {
    user: 'customer',
    lead: 'customer',
    contact: 'customer',
    admin: 'agent',
    team: 'agent',
    bot: 'system',
  },
  shapes: [
    intercomConversation({ path: 'stream', equals: 'conversations' }, 'data'),
    intercomPart({ path: 'stream', equals: 'conversation_parts' }, 'data'),
    intercomConversation({ path: 'record.type', equals: 'conversation' }, 'record'),
    intercomPart({ path: 'record.type', equals: 'conversation_part' }, 'record'),
    intercomConversation({ path: 'type', equals: 'conversation' }),
    intercomPart({ path: 'type', equals: 'conversation_part' }),
  ],
};

const freshdeskMessage: Fields = {
  thread_id: 'id',
  created_at: 'created_at',
  text: 'body',
  attachments: 'attachments.attachment_url',
};
const freshdeskRoles = [
  { path: 'private', equals: true, role: 'note' as const },
  { path: 'incoming', equals: true, role: 'customer' as const },
  { role: 'agent' as const },
];

/**
 * Freshdesk API v2: tickets, whose `description` is the first message, and conversations (a file of their own,
 * or a ticket's `conversations`). `incoming: true` is the customer, `private: true` a note; statuses are numbers.
 */
const freshdesk: JsonPreset = {
  roles: {},
  shapes: [
    {
      when: { path: 'ticket_id' },
      message: { fields: { ...freshdeskMessage, conversation_id: 'ticket_id' }, roleRules: freshdeskRoles },
      html: true,
    },
    {
      messages: 'conversations',
      conversation: {
        conversation_id: 'id',
        subject: 'subject',
        tags: 'tags',
        status: 'status',
        customer_email: ['requester.email', 'email'],
      },
      first: {
        fields: { created_at: 'created_at', text: 'description', attachments: 'attachments.attachment_url' },
        roleRules: [{ role: 'customer' }],
      },
      message: { fields: freshdeskMessage, roleRules: freshdeskRoles },
      statuses: { '2': 'active', '3': 'pending', '4': 'closed', '5': 'closed' },
      html: true,
    },
  ],
};

/** Help Scout's Mailbox API 2.0 (a move between accounts): threads newest first, by `type`. */
const helpscout: JsonPreset = {
  roles: { customer: 'customer', message: 'agent', reply: 'agent', note: 'note' },
  shapes: [
    {
      messages: '_embedded.threads',
      conversation: {
        conversation_id: 'id',
        subject: 'subject',
        tags: 'tags.tag',
        status: 'status',
        customer_email: 'primaryCustomer.email',
        first_name: 'primaryCustomer.first',
        last_name: 'primaryCustomer.last',
      },
      message: {
        fields: {
          thread_id: 'id',
          created_at: 'createdAt',
          text: 'body',
          author_role: 'type',
          author_email: 'createdBy.email',
        },
      },
      skip: [
        { path: 'type', notIn: ['customer', 'message', 'reply', 'note'] },
        { path: 'body', empty: true },
      ],
      html: true,
    },
  ],
};

/** GrooveHQ tickets: `actions` of which only `Message` changes carry text; `change.note` marks a note. */
const groove: JsonPreset = {
  roles: { customer: 'customer', agent: 'agent' },
  shapes: [
    {
      messages: 'actions',
      conversation: {
        conversation_id: 'number',
        subject: 'title',
        tags: 'tags',
        status: 'state',
        customer_email: 'customer.customer.email',
        first_name: 'customer.customer.first_name',
        last_name: 'customer.customer.last_name',
      },
      message: {
        fields: {
          thread_id: 'change.id',
          created_at: 'created_at',
          text: 'change.body',
          author_role: 'actor.type',
          author_email: 'actor.email',
          author_name: 'actor.name',
        },
        roleRules: [{ path: 'change.note', equals: true, role: 'note' }],
      },
      skip: [
        { path: 'change.type', notIn: ['Message'] },
        { path: 'change.body', empty: true },
      ],
      statuses: { opened: 'active', unread: 'active' },
      html: true,
    },
  ],
};

export const JSON_PRESETS = { zendesk, intercom, freshdesk, helpscout, groove } as const;
export type JsonPresetName = keyof typeof JSON_PRESETS;

export function isJsonPreset(name: string): name is JsonPresetName {
  return name in JSON_PRESETS;
}
