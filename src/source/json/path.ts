/**
 * Dotted paths into a JSON record, compiled once. `$.a.b` starts at the record, `@user.a` at the author found
 * by a `users` lookup, anything else at the current item (a message, or the record for its own fields). A
 * list met before the path's end is mapped over, so `tags.tags.name` reads every tag's name.
 */

export type PathRoot = 'item' | 'record' | 'user';

export interface CompiledPath {
  source: string;
  root: PathRoot;
  keys: string[];
}

/** What a path is read against. */
export interface PathScope {
  item: unknown;
  record: unknown;
  user?: unknown;
}

export function compilePath(source: string): CompiledPath {
  let root: PathRoot = 'item';
  let rest = source;
  if (source === '$' || source.startsWith('$.')) {
    root = 'record';
    rest = source.slice(2);
  } else if (source === '@user' || source.startsWith('@user.')) {
    root = 'user';
    rest = source.slice(6);
  }
  return { source, root, keys: rest === '' ? [] : rest.split('.') };
}

function walk(value: unknown, keys: readonly string[], from: number): unknown {
  let current = value;
  for (let i = from; i < keys.length; i++) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current) && !/^\d+$/.test(keys[i] as string)) {
      const mapped: unknown[] = [];
      for (const element of current) {
        const found = walk(element, keys, i);
        if (Array.isArray(found)) mapped.push(...found);
        else if (found !== undefined && found !== null) mapped.push(found);
      }
      return mapped;
    }
    current = (current as Record<string, unknown>)[keys[i] as string];
  }
  return current;
}

export function readPath(scope: PathScope, path: CompiledPath): unknown {
  const start = path.root === 'item' ? scope.item : path.root === 'record' ? scope.record : scope.user;
  return walk(start, path.keys, 0);
}

/**
 * A JSON value as the text a CSV cell would hold: ids and numbers as strings, booleans as true/false, a list
 * of plain values joined by `;` (the tags separator); null, "", objects and empty lists are absent.
 */
export function cellOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    const cells = value.flatMap((element) => {
      const cell = typeof element === 'object' ? undefined : cellOf(element);
      return cell === undefined ? [] : [cell];
    });
    return cells.length === 0 ? undefined : cells.join(';');
  }
  return undefined;
}

/** The JSON path of a field for a person: `$[3].comments[2].created_at`. */
export function describePath(prefix: string, path: CompiledPath): string {
  if (path.root === 'user') return `${prefix}(author).${path.keys.join('.')}`;
  return path.keys.length === 0 ? prefix : `${prefix}.${path.keys.join('.')}`;
}
