import type { StateStore } from './store.js';

const META_KEY = 'source_files';

/** The export's file names by number, as staging recorded them (see SourceFileNumbers). */
export function sourceFileNames(store: StateStore): string[] {
  return JSON.parse(store.getMeta(META_KEY) ?? '[]') as string[];
}

/**
 * Numbers the export's file names for the staged rows (row_json names its file by number). A name keeps
 * its number for good and numbers are only ever added: a thread staged by an earlier reading of another set
 * of files keeps its body, and so must still find its file's name.
 */
export class SourceFileNumbers {
  private readonly names: string[];
  private readonly numbers = new Map<string, number>();
  private added = false;

  constructor(private readonly store: StateStore) {
    this.names = sourceFileNames(store);
    this.names.forEach((name, number) => {
      this.numbers.set(name, number);
    });
  }

  numberOf(name: string): number {
    let number = this.numbers.get(name);
    if (number === undefined) {
      number = this.names.push(name) - 1;
      this.numbers.set(name, number);
      this.added = true;
    }
    return number;
  }

  /** Records the names numbered since the store was read, in the caller's transaction. */
  save(): void {
    if (this.added) this.store.setMeta(META_KEY, JSON.stringify(this.names));
    this.added = false;
  }
}
