/**
 * A message's fields read from its record by the shape's paths. Only the values are kept: where a field came
 * from matters only to a reject's message, and is worked out again then (reading is pure), which spares every
 * message an object of paths.
 */
import type { CanonicalColumn } from '../../config/schema.js';
import type { RowValues } from '../customer.js';
import { type CompiledPath, cellOf, describePath, type PathScope, readPath } from './path.js';

/** Each column a shape reads, with the paths it is looked for at, in order. */
export type CompiledFields = [CanonicalColumn, CompiledPath[]][];

/** What a message's fields were read with: enough to tell, later, where each came from. */
export interface FieldSource {
  /** The message's own fields, read in `scope`. */
  fields: CompiledFields;
  scope: PathScope;
  /** The record's fields, read in `recordScope`: they fill what the message's own leave empty. */
  conversation: CompiledFields;
  recordScope: PathScope;
  clean: (cell: string) => string;
  /** Paths of the message itself and of its record: what a path is relative to. */
  at: string;
  recordAt: string;
}

/** A path's value, cleaned; undefined when absent or empty. */
function valueAt(path: CompiledPath, scope: PathScope, clean: (cell: string) => string): string | undefined {
  const cell = cellOf(readPath(scope, path));
  if (cell === undefined) return undefined;
  const value = clean(cell);
  return value === '' ? undefined : value;
}

/** The value of the first of `paths` that has one. */
export function readValue(
  paths: readonly CompiledPath[],
  scope: PathScope,
  clean: (cell: string) => string,
): string | undefined {
  for (const path of paths) {
    const value = valueAt(path, scope, clean);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Sets the value of each field that has one, in the config's order (plain loops: this runs per message). */
export function readValuesInto(
  fields: CompiledFields,
  scope: PathScope,
  clean: (cell: string) => string,
  into: RowValues,
): void {
  for (let i = 0; i < fields.length; i++) {
    const [column, paths] = fields[i] as CompiledFields[number];
    const value = readValue(paths, scope, clean);
    if (value !== undefined) into[column] = value;
  }
}

/**
 * The path a column was read from, and what it is relative to: the message's own field when it found a
 * value, else the record's, or, when none did, the first path it was looked for at.
 */
function pathOf(
  source: FieldSource,
  column: CanonicalColumn,
): { path: CompiledPath; base: string } | undefined {
  let from: { path: CompiledPath; base: string } | undefined;
  // A message's own path starts at the message (or at the record, `$.`); a record's field at the record.
  const look = (fields: CompiledFields, scope: PathScope, base: (path: CompiledPath) => string) => {
    for (const [field, paths] of fields) {
      if (field !== column) continue;
      const found = paths.find((path) => valueAt(path, scope, source.clean) !== undefined);
      if (found !== undefined) {
        from = { path: found, base: base(found) };
        return true;
      }
      if (from === undefined && paths[0] !== undefined) from = { path: paths[0], base: base(paths[0]) };
    }
  };
  if (look(source.fields, source.scope, (path) => (path.root === 'record' ? source.recordAt : source.at)))
    return from;
  look(source.conversation, source.recordScope, () => source.recordAt);
  return from;
}

/** The JSON path of a message's field, for a person: `$[3].comments[2].created_at`, `$[3].requester.email`. */
export function whereOf(source: FieldSource, column: CanonicalColumn): string | undefined {
  const from = pathOf(source, column);
  return from && describePath(from.base, from.path);
}
