import type { ConversationStatus } from '../../api/api-types.js';
import {
  type AuthorRole,
  CANONICAL_COLUMNS,
  type CanonicalColumn,
  type JsonShape,
} from '../../config/schema.js';
import type { RowValues } from '../customer.js';
import { compileAny, compileCondition, type Test } from './condition.js';
import { type CompiledPath, cellOf, compilePath, describePath, type PathScope, readPath } from './path.js';

type CompiledFields = [CanonicalColumn, CompiledPath[]][];

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

/** One message as read from a record: its cells, where each came from, and a role a rule settled. */
export interface JsonMessage {
  /** Cleaned cells; an empty one is absent. */
  values: RowValues;
  /** The path each column was read from (or, when absent, the first it was looked for at). */
  from: Partial<Record<CanonicalColumn, CompiledPath>>;
  role?: AuthorRole;
  /** Path of the message itself, and of its record: what `from` is relative to. */
  at: string;
  recordAt: string;
}

/**
 * A message's `values` and `from` start with every column present (undefined): each message's objects then
 * share one layout, so filling them never reshapes an object (which a column added at a time did, per message).
 */
const NO_VALUES: RowValues = Object.fromEntries(CANONICAL_COLUMNS.map((column) => [column, undefined]));
const NO_PATHS: JsonMessage['from'] = Object.fromEntries(
  CANONICAL_COLUMNS.map((column) => [column, undefined]),
);

/** The JSON path of a message's field, for a person: `$[3].comments[2].created_at`. */
export function whereOf(message: JsonMessage, column: CanonicalColumn): string | undefined {
  const path = message.from[column];
  if (path === undefined) return undefined;
  return describePath(path.root === 'record' ? message.recordAt : message.at, path);
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

/** What one field of the config reads: its value (absent when empty) and the path it came from. */
interface FieldRead {
  value: string | undefined;
  path: CompiledPath | undefined;
}

const NOT_FOUND: FieldRead = { value: undefined, path: undefined };

function readField(paths: CompiledPath[], scope: PathScope, clean: (cell: string) => string): FieldRead {
  for (const path of paths) {
    const cell = cellOf(readPath(scope, path));
    if (cell === undefined) continue;
    const value = clean(cell);
    if (value !== '') return { value, path };
  }
  return NOT_FOUND;
}

/** Sets one field into a message; a field found nowhere records the first path it was looked for at. */
function applyField(
  column: CanonicalColumn,
  paths: CompiledPath[],
  read: FieldRead,
  into: JsonMessage,
): void {
  if (read.value !== undefined && read.path !== undefined) {
    into.values[column] = read.value;
    into.from[column] = read.path;
  } else into.from[column] ??= paths[0];
}

/** Reads and sets every field of `fields` into a message, in the config's order (plain loops: once a message). */
function readFieldsInto(
  fields: CompiledFields,
  scope: PathScope,
  clean: (cell: string) => string,
  into: JsonMessage,
): void {
  for (let i = 0; i < fields.length; i++) {
    const [column, paths] = fields[i] as CompiledFields[number];
    applyField(column, paths, readField(paths, scope, clean), into);
  }
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
export function* messagesOfRecord(
  shape: CompiledShape,
  record: unknown,
  prefix: string,
  clean: (cell: string) => string,
): Generator<JsonMessage | { problem: string; at: string }> {
  const author = authorLookup(shape, record);
  // The same for every message of the record: read once.
  const recordScope: PathScope = { item: record, record };
  const conversation = shape.conversation.map(([, paths]) => readField(paths, recordScope, clean));
  const one = (message: CompiledMessage, item: unknown, at: string): JsonMessage | undefined => {
    const scope: PathScope = { item, record, user: author?.(item) };
    if (shape.skip(scope)) return undefined;
    const out: JsonMessage = { values: { ...NO_VALUES }, from: { ...NO_PATHS }, at, recordAt: prefix };
    // The message's own fields first: a conversation field fills only what they leave empty.
    readFieldsInto(message.fields, scope, clean, out);
    for (let i = 0; i < conversation.length; i++) {
      const [column, paths] = shape.conversation[i] as CompiledFields[number];
      applyField(column, paths, conversation[i] as FieldRead, out);
    }
    const role = ruleRole(message, scope);
    if (role !== undefined) out.role = role;
    return out;
  };
  if (shape.first !== undefined) {
    const path = shape.first.path;
    const item = path === undefined ? record : readPath({ item: record, record }, path);
    const at = path === undefined ? prefix : describePath(prefix, path);
    if (item !== undefined && item !== null) {
      const message = one(shape.first, item, at);
      if (message) yield message;
    }
  }
  if (shape.messages === undefined) {
    if (shape.first === undefined) {
      const message = one(shape.message, record, prefix);
      if (message) yield message;
    }
    return;
  }
  const list = readPath({ item: record, record }, shape.messages);
  const listAt = describePath(prefix, shape.messages);
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    yield { problem: 'is not a list of messages', at: listAt };
    return;
  }
  for (let i = 0; i < list.length; i++) {
    const message = one(shape.message, list[i], `${listAt}[${i}]`);
    if (message) yield message;
  }
}
