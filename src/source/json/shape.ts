import type { ConversationStatus } from '../../api/api-types.js';
import type { AuthorRole, CanonicalColumn, JsonShape } from '../../config/schema.js';
import type { RowValues } from '../customer.js';
import { compileAny, compileCondition, type Test } from './condition.js';
import { type CompiledFields, type FieldSource, readValue, readValuesInto } from './fields.js';
import { type CompiledPath, cellOf, compilePath, describePath, type PathScope, readPath } from './path.js';

interface CompiledMessage {
  fields: CompiledFields;
  roleRules: { test: Test; role: AuthorRole }[];
}

/** A shape of the config, its paths compiled once. */
export interface CompiledShape {
  when: Test;
  record?: CompiledPath;
  messages?: CompiledPath;
  conversation: CompiledFields;
  message: CompiledMessage;
  first?: CompiledMessage & { path?: CompiledPath };
  skip: Test;
  users?: { list: CompiledPath; id: CompiledPath; by: CompiledPath };
  statuses: Map<string, ConversationStatus>;
  html: boolean;
  entities: boolean;
  customerFromAuthor: boolean;
}

/** One message as read from a record: its cells, a role a rule settled, and what it was read with. */
export interface JsonMessage extends FieldSource {
  /** Cleaned cells; an empty one is absent. */
  values: RowValues;
  role: AuthorRole | undefined;
}

function compileFields(fields: JsonShape['conversation']): CompiledFields {
  return (Object.entries(fields) as [CanonicalColumn, string | string[]][]).map(([column, paths]) => [
    column,
    (Array.isArray(paths) ? paths : [paths]).map(compilePath),
  ]);
}

function compileMessage(message: JsonShape['message']): CompiledMessage {
  return {
    fields: compileFields(message.fields),
    roleRules: message.roleRules.map(({ role, ...condition }) => ({
      test: compileCondition(condition),
      role,
    })),
  };
}

export function compileShape(shape: JsonShape): CompiledShape {
  const statuses = new Map<string, ConversationStatus>();
  for (const [word, status] of Object.entries(shape.statuses)) statuses.set(word.toLowerCase(), status);
  const compiled: CompiledShape = {
    when: shape.when ? compileCondition(shape.when) : () => true,
    conversation: compileFields(shape.conversation),
    message: compileMessage(shape.message),
    skip: compileAny(shape.skip),
    statuses,
    html: shape.html,
    entities: shape.entities,
    customerFromAuthor: shape.customerFromAuthor,
  };
  if (shape.record !== undefined) compiled.record = compilePath(shape.record);
  if (shape.messages !== undefined) compiled.messages = compilePath(shape.messages);
  if (shape.first !== undefined) {
    compiled.first = compileMessage(shape.first);
    if (shape.first.path !== undefined) compiled.first.path = compilePath(shape.first.path);
  }
  if (shape.users !== undefined) {
    compiled.users = {
      list: compilePath(shape.users.list),
      id: compilePath(shape.users.id),
      by: compilePath(shape.users.by),
    };
  }
  return compiled;
}

function authorLookup(shape: CompiledShape, record: unknown): ((item: unknown) => unknown) | undefined {
  const users = shape.users;
  if (users === undefined) return undefined;
  let byId: Map<string, unknown> | undefined;
  return (item) => {
    if (byId === undefined) {
      byId = new Map();
      const list = readPath({ item: record, record }, users.list);
      if (Array.isArray(list)) {
        for (const user of list) {
          const id = cellOf(readPath({ item: user, record }, users.id));
          if (id !== undefined) byId.set(id, user);
        }
      }
    }
    const key = cellOf(readPath({ item, record }, users.by));
    return key === undefined ? undefined : byId.get(key);
  };
}

/** The role the first matching rule gives, if any. */
function ruleRole(message: CompiledMessage, scope: PathScope): AuthorRole | undefined {
  for (const rule of message.roleRules) if (rule.test(scope)) return rule.role;
  return undefined;
}

/**
 * The messages of one record (already taken out of its envelope), in the record's order: the first message
 * (when the shape has one), then the list's entries that are messages. Each carries the record's fields.
 */
export function messagesOfRecord(
  shape: CompiledShape,
  record: unknown,
  prefix: string,
  clean: (cell: string) => string,
): (JsonMessage | { problem: string; at: string })[] {
  // An array, not a generator: resuming one for each message cost more than the array.
  const out: (JsonMessage | { problem: string; at: string })[] = [];
  const author = authorLookup(shape, record);
  // The same for every message of the record: read once.
  const recordScope: PathScope = { item: record, record };
  const conversation = shape.conversation.map(([, paths]) => readValue(paths, recordScope, clean));
  const one = (message: CompiledMessage, item: unknown, at: string): JsonMessage | undefined => {
    const scope: PathScope = { item, record, user: author?.(item) };
    if (shape.skip(scope)) return undefined;
    const values: RowValues = {};
    readValuesInto(message.fields, scope, clean, values);
    // Then the record's fields, into what the message's own leave empty: a message's value is its own.
    for (let i = 0; i < conversation.length; i++) {
      const value = conversation[i];
      const column = (shape.conversation[i] as CompiledFields[number])[0];
      if (value !== undefined && values[column] === undefined) values[column] = value;
    }
    return {
      values,
      role: ruleRole(message, scope),
      fields: message.fields,
      scope,
      conversation: shape.conversation,
      recordScope,
      clean,
      at,
      recordAt: prefix,
    };
  };
  if (shape.first !== undefined) {
    const path = shape.first.path;
    const item = path === undefined ? record : readPath({ item: record, record }, path);
    const at = path === undefined ? prefix : describePath(prefix, path);
    if (item !== undefined && item !== null) {
      const message = one(shape.first, item, at);
      if (message) out.push(message);
    }
  }
  if (shape.messages === undefined) {
    if (shape.first === undefined) {
      const message = one(shape.message, record, prefix);
      if (message) out.push(message);
    }
    return out;
  }
  const list = readPath({ item: record, record }, shape.messages);
  const listAt = describePath(prefix, shape.messages);
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) {
    out.push({ problem: 'is not a list of messages', at: listAt });
    return out;
  }
  for (let i = 0; i < list.length; i++) {
    const message = one(shape.message, list[i], `${listAt}[${i}]`);
    if (message) out.push(message);
  }
  return out;
}
