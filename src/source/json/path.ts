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
  /** Per key: whether it is an index (digits), which reads into a list rather than mapping over it. */
  isIndex: boolean[];
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
  const keys = rest === '' ? [] : rest.split('.');
  return { source, root, keys, isIndex: keys.map((key) => /^\d+$/.test(key)) };
}

function walk(value: unknown, path: CompiledPath, from: number): unknown {
  const { keys, isIndex } = path;
  let current = value;
  for (let i = from; i < keys.length; i++) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!isIndex[i] && Array.isArray(current)) {
      const mapped: unknown[] = [];
      for (const element of current) {
        const found = walk(element, path, i);
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
  return walk(start, path, 0);
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
    // A loop, not flatMap: lists are read for every message (most of them empty).
    let joined: string | undefined;
    for (const element of value) {
      const cell = typeof element === 'object' ? undefined : cellOf(element);
      if (cell !== undefined) joined = joined === undefined ? cell : `${joined};${cell}`;
    }
    return joined;
  }
  return undefined;
}

/** The JSON path of a field for a person: `$[3].comments[2].created_at`. */
export function describePath(prefix: string, path: CompiledPath): string {
  if (path.root === 'user') return `${prefix}(author).${path.keys.join('.')}`;
  return path.keys.length === 0 ? prefix : `${prefix}.${path.keys.join('.')}`;
}
