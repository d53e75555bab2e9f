import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import { readSource } from '../../src/source/index.js';
import { prng } from '../../test/support/generate-export.js';
import { REPO_ROOT, runImport } from '../cli-runner.js';
import { minimumWrites, threadFloorBytes } from '../min-writes.js';
import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { cachedExport, removeDir, scratchDir } from '../workspace.js';

const DEMO_FILES = ['chats-2024.csv', 'chats-2025.csv'].map((f) => join(REPO_ROOT, 'fixtures', 'demo', f));
const DEMO_TIMEZONE = 'Europe/Paris';

interface Ordered {
  createdAt: string;
  threadId: string | undefined;
  seq: number;
  bytes: number;
}

function byThreadOrder(a: Ordered, b: Ordered): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.threadId !== b.threadId) {
    if (a.threadId === undefined) return 1;
    if (b.threadId === undefined) return -1;
    return a.threadId.localeCompare(b.threadId, 'en', { numeric: true });
  }
  return a.seq - b.seq;
}

/** Σ over conversations of the fewest writes, from the valid rows as the product's own reader sees them. */
async function minimumFromSource(
  files: string[],
  timezone: string,
): Promise<{ minimum: number; conversations: number; rows: number }> {
  const source = {
    files,
    format: 'csv' as const,
    columns: {},
    roles: {},
    timezone,
    textFormat: 'plain' as const,
    delimiter: ',',
    encoding: 'utf8' as const,
    repairMojibake: false,
    agentAddresses: [],
    unknownAgents: 'as-owner-with-name' as const,
  };
  const byConversation = new Map<string, Ordered[]>();
  let rows = 0;
  for await (const item of readSource(source, { baseDir: REPO_ROOT })) {
    if (item.kind !== 'row') continue;
    rows += 1;
    const r = item.row;
    const sizes = await Promise.all(r.attachments.map(async (a) => (await stat(a.path)).size));
    const list = byConversation.get(r.conversationId) ?? [];
    list.push({
      createdAt: r.createdAt,
      threadId: r.threadId,
      seq: r.pos.seq,
      bytes: threadFloorBytes(r.text, sizes),
    });
    byConversation.set(r.conversationId, list);
  }
  let minimum = 0;
  for (const list of byConversation.values()) minimum += minimumWrites(list.sort(byThreadOrder));
  return { minimum, conversations: byConversation.size, rows };
}

/** Thread counts of a realistic mix: mostly short chats, some long, a few over the cap, and the edges. */
function mixSizes(seed: number, count: number): number[] {
  const random = prng(seed);
  const edges = [99, 100, 101, 198, 199, 200, 201, 250, 300];
  const sizes = edges.slice(0, Math.min(edges.length, count));
  while (sizes.length < count) {
    const r = random();
    const [low, high] = r < 0.02 ? [101, 300] : r < 0.1 ? [31, 100] : [2, 30];
    sizes.push(low + Math.floor(random() * (high - low + 1)));
  }
  return sizes;
}

async function importAndCount(files: string[], timezone: string, okCodes: number[]) {
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  const dir = scratchDir('writes');
  try {
    const { summary, exit } = await runImport(dir, { files, apiUrl: emulator.url, timezone }, okCodes);
    const stored = emulator.state().conversations.reduce((n, c) => n + c.threads.length, 0);
    return { summary, stored, wallMs: exit.wallMs };
  } finally {
    await emulator.close();
    removeDir(dir);
  }
}

export async function writesSection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const s = 'writes';
  const demoMin = await minimumFromSource(DEMO_FILES, DEMO_TIMEZONE);
  log(`writes: demo fixtures, ${demoMin.rows} valid rows, minimum ${demoMin.minimum} writes`);
  // The demo holds 6 invalid rows on purpose: exit 2 is its expected ending.
  const demo = await importAndCount(DEMO_FILES, DEMO_TIMEZONE, [2]);

  const sizes = mixSizes(options.seed, options.writes.conversations);
  const exp = await cachedExport('writes-mix', { seed: options.seed, fixed: sizes, minThreads: 0 });
  const mixMin = await minimumFromSource([exp.path], 'UTC');
  log(
    `writes: generated mix, ${exp.conversations} conversations, ${exp.rows} rows, minimum ${mixMin.minimum} writes`,
  );
  const mix = await importAndCount([exp.path], 'UTC', [0]);

  const demoRatio = demo.summary.requests.writes / demoMin.minimum;
  const mixRatio = mix.summary.requests.writes / mixMin.minimum;
  return {
    section: s,
    metrics: [
      metric(
        s,
        `writes ÷ minimum, demo fixtures (${demo.summary.requests.writes} / ${demoMin.minimum})`,
        demoRatio,
        fixed(demoRatio),
        '≤ 1.01',
        demoRatio <= 1.01 && demo.stored === demoMin.rows,
      ),
      metric(
        s,
        `writes ÷ minimum, ${exp.conversations} conversations (${mix.summary.requests.writes} / ${mixMin.minimum})`,
        mixRatio,
        fixed(mixRatio),
        '≤ 1.01',
        mixRatio <= 1.01 && mix.stored === mixMin.rows,
      ),
    ],
    details: {
      demo: {
        validRows: demoMin.rows,
        conversations: demoMin.conversations,
        minimumWrites: demoMin.minimum,
        writes: demo.summary.requests.writes,
        reads: demo.summary.requests.reads,
        threadsStored: demo.stored,
        parts: demo.summary.parts,
      },
      mix: {
        rows: exp.rows,
        conversations: exp.conversations,
        minimumWrites: mixMin.minimum,
        writes: mix.summary.requests.writes,
        reads: mix.summary.requests.reads,
        threadsStored: mix.stored,
        parts: mix.summary.parts,
        cliWallMs: Math.round(mix.wallMs),
      },
    },
  };
}
