import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { csvLine } from '../../src/report/csv.js';
import { mulberry32 } from '../../src/util/prng.js';

/** The same seed gives the same export. */
export const prng = mulberry32;

export interface GenerateOptions {
  seed: number;
  /** Thread counts of the conversations that must be there (e.g. one over 100, one over 250). */
  fixed?: number[];
  /** Further conversations until the export has at least this many threads. */
  minThreads: number;
  /** Range of thread counts of the further conversations. */
  threadsPer?: [number, number];
}

export const GENERATED_COLUMNS = [
  'conversation_id',
  'thread_id',
  'created_at',
  'text',
  'author_role',
  'author_email',
  'customer_email',
  'first_name',
  'subject',
  'tags',
];
const WORDS =
  'order parcel refund thanks please delivery invoice size colour address tracking café naïve 😀 مرحبا 你好 שלום'.split(
    ' ',
  );

/**
 * Writes a realistic export: customers by email, agent and note lines, equal timestamps, unicode and
 * quoted newlines, and rows of a conversation mixed with others'. Returns the number of rows and conversations.
 */
export async function generateExport(
  path: string,
  options: GenerateOptions,
): Promise<{ rows: number; conversations: number }> {
  const random = prng(options.seed);
  const [low, high] = options.threadsPer ?? [2, 30];
  const sizes = [...(options.fixed ?? [])];
  let total = sizes.reduce((n, s) => n + s, 0);
  while (total < options.minThreads) {
    const size = low + Math.floor(random() * (high - low + 1));
    sizes.push(size);
    total += size;
  }
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(csvLine(GENERATED_COLUMNS));
  // Interleave conversations in windows of 8, so rows of one conversation are spread out as in real exports.
  let threadSeq = 0;
  for (let start = 0; start < sizes.length; start += 8) {
    const window = sizes
      .slice(start, start + 8)
      .map((size, i) => ({ index: start + i, size, next: 0, time: 0 }));
    for (const c of window)
      c.time = Date.UTC(2023, 0, 1) + (c.index % 700) * 86_400_000 + Math.floor(random() * 40_000_000);
    while (window.some((c) => c.next < c.size)) {
      const open = window.filter((c) => c.next < c.size);
      const c = open[Math.floor(random() * open.length)] as (typeof window)[number];
      const i = c.next++;
      // One step in eight repeats the previous second: ties broken by thread_id.
      if (i > 0 && random() > 0.125) c.time += 1000 + Math.floor(random() * 300_000);
      const role = i === 0 ? 'customer' : random() < 0.45 ? 'agent' : random() < 0.05 ? 'note' : 'customer';
      const words = Array.from(
        { length: 3 + Math.floor(random() * 25) },
        () => WORDS[Math.floor(random() * WORDS.length)],
      );
      if (random() < 0.05) words.splice(2, 0, '\n"quoted", line\n');
      await write(
        csvLine([
          `g-${c.index + 1}`,
          String(++threadSeq),
          new Date(c.time).toISOString().replace('.000Z', 'Z'),
          words.join(' '),
          role,
          role === 'customer'
            ? ''
            : ['anna@example.com', 'ben@example.com', 'chloe@example.com'][c.index % 3],
          i === 0 ? `customer${c.index % 5000}@example.com` : '',
          i === 0 && c.index % 4 === 0 ? `Name${c.index}` : '',
          i === 0 && c.index % 3 === 0 ? `Question ${c.index + 1}` : '',
          i === 0 && c.index % 5 === 0 ? 'generated;vip' : '',
        ]),
      );
    }
  }
  out.end();
  await once(out, 'finish');
  return { rows: total, conversations: sizes.length };
}
