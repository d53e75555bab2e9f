import { sourceFileNames } from './source-files.js';
import type { StateStore } from './store.js';

const META_KEY = 'fed_back_files';

/** The source files read so far that were rejects.csv files fed back (names only ever added). */
export function fedBackFiles(store: StateStore): Set<string> {
  return new Set(JSON.parse(store.getMeta(META_KEY) ?? '[]') as string[]);
}

export function saveFedBackFiles(store: StateStore, files: ReadonlySet<string>): void {
  if (files.size > 0) store.setMeta(META_KEY, JSON.stringify([...files]));
}

/**
 * The occurrence a row of a rejects.csv fed back is identified by. It was never a message of an earlier
 * reading of the export (it was rejected there), so it never takes the place of one that was: another
 * message of its conversation, second and role would otherwise be found in it, and it would be lost. It
 * takes the first occurrence that is free, or held by a row fed back before (the same row, fed back again).
 */
export function fedBackOccurrence(store: StateStore): (baseKey: string, runId: number) => number {
  const fedBack = fedBackFiles(store);
  const names = sourceFileNames(store);
  const holder = store.prepare(
    `SELECT seen_run, coalesce(json_extract(row_json, '$[0]'), json_extract(row_json, '$.file')) AS file
     FROM threads WHERE base_key = ? AND occurrence = ?`,
  );
  const fileName = (file: number | string): string | undefined =>
    typeof file === 'number' ? names[file] : file;
  return (baseKey, runId) => {
    for (let occurrence = 1; ; occurrence++) {
      const held = holder.get(baseKey, occurrence) as { seen_run: number; file: number | string } | undefined;
      if (held === undefined) return occurrence;
      const name = fileName(held.file);
      if (held.seen_run !== runId && name !== undefined && fedBack.has(name)) return occurrence;
    }
  };
}
