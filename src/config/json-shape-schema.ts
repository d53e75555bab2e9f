import { z } from 'zod';
import { CONVERSATION_STATUSES } from '../api/api-types.js';
import { AUTHOR_ROLES, CANONICAL_COLUMNS } from './vocabulary.js';

/**
 * A dotted path into a JSON record. In a message's fields, paths are read from the message; `$.x` from the
 * record (the conversation), `@user.x` from the author found by `users`. A path through a list maps over it.
 */
const jsonPath = z.string().min(1);
const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Canonical column → a path, or paths tried in order (the first non-empty value wins). */
const fieldPaths = z
  .partialRecord(z.enum(CANONICAL_COLUMNS), z.union([jsonPath, z.array(jsonPath).min(1)]))
  .describe('Canonical column → JSON path, or paths tried in order.');

export const jsonConditionSchema = z
  .strictObject({
    path: jsonPath.optional().describe('Absent: always true.'),
    equals: jsonScalar.optional(),
    in: z.array(jsonScalar).optional(),
    notIn: z.array(jsonScalar).optional(),
    equalsPath: jsonPath
      .optional()
      .describe('True when both paths hold the same value (ids compared as strings).'),
    empty: z.boolean().optional().describe('true: missing, null, "" or []; false: anything else.'),
  })
  .describe('A test on a JSON value; every test given must hold. Only `path`: the value is present.');
export type JsonCondition = z.infer<typeof jsonConditionSchema>;

const roleRule = jsonConditionSchema
  .extend({ role: z.enum(AUTHOR_ROLES) })
  .describe('The role of a message that meets the condition; checked before `author_role`.');

const messageMapping = z.strictObject({
  fields: fieldPaths.default({}),
  roleRules: z.array(roleRule).default([]),
});

export const jsonShapeSchema = z
  .strictObject({
    when: jsonConditionSchema
      .optional()
      .describe("Which records this shape reads (e.g. an envelope's stream)."),
    record: jsonPath
      .optional()
      .describe('Path of the record inside its envelope, e.g. "data" (Airbyte, Singer).'),
    messages: jsonPath
      .optional()
      .describe('Path of the list of messages in the record; absent: the record is one message.'),
    conversation: fieldPaths.default({}).describe('Fields read from the record, shared by its messages.'),
    message: messageMapping.default({ fields: {}, roleRules: [] }),
    first: messageMapping
      .extend({ path: jsonPath.optional().describe('Absent: the record itself.') })
      .optional()
      .describe('A first message held apart from the list (Intercom `source`, a ticket description).'),
    skip: z.array(jsonConditionSchema).default([]).describe('Entries that are not messages (any matching).'),
    users: z
      .strictObject({ list: jsonPath, id: jsonPath, by: jsonPath })
      .optional()
      .describe(
        "Authors in a list of the record: `list` (from the record), matched on `id` by the message's `by`.",
      ),
    statuses: z
      .record(z.string(), z.enum(CONVERSATION_STATUSES))
      .default({})
      .describe("The export's status values (case-insensitive) → active, pending, closed or spam."),
    html: z.boolean().default(false).describe('Message text is HTML (sanitised), not plain text.'),
    entities: z
      .boolean()
      .default(false)
      .describe('Plain text that holds HTML entities (&gt;, &nbsp;): decode them before escaping.'),
    customerFromAuthor: z
      .boolean()
      .default(false)
      .describe("A customer message's author email names the conversation's customer."),
  })
  .describe('One JSON record shape.');
export type JsonShape = z.infer<typeof jsonShapeSchema>;
