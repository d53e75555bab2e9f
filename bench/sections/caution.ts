import { join } from 'node:path';
import { type EmulatorProfile, startEmulator } from '../../src/emulator/index.js';
import { REPO_ROOT, runImport } from '../cli-runner.js';
import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { removeDir, scratchDir } from '../workspace.js';

const DEMO_FILES = ['chats-2024.csv', 'chats-2025.csv'].map((f) => join(REPO_ROOT, 'fixtures', 'demo', f));

/**
 * The cost of caution: the demo imported under each emulator profile and each strategy, writes and reads
 * per thread stored. Under the pessimistic profile files dropped inline are uploaded again, files too large
 * for a thread endpoint follow their thread, and the token endpoint fails at first; nothing is in doubt, so
 * the read-back horizon never waits.
 */
export async function cautionSection(
  _options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const s = 'caution';
  const metrics = [];
  const details: Record<string, unknown> = {};
  for (const profile of ['optimistic', 'pessimistic'] as EmulatorProfile[]) {
    for (const strategy of ['batch', 'per-thread'] as const) {
      const emulator = await startEmulator({ profile, rateLimitPerMinute: 1_000_000 });
      const dir = scratchDir(`caution-${profile}-${strategy}`);
      try {
        const { summary } = await runImport(
          dir,
          { files: DEMO_FILES, apiUrl: emulator.url, timezone: 'Europe/Paris', strategy },
          [2],
        );
        const threads = emulator.state().conversations.reduce((n, c) => n + c.threads.length, 0);
        const { writes, reads } = summary.requests;
        log(`caution: ${profile} ${strategy}: ${writes} writes, ${reads} reads for ${threads} threads`);
        details[`${profile} ${strategy}`] = { threads, writes, reads };
        const name = `${profile}, ${strategy}: writes / reads per thread (${writes} / ${reads} for ${threads})`;
        metrics.push(
          metric(s, name, writes / threads, `${fixed(writes / threads)} / ${fixed(reads / threads)}`),
        );
      } finally {
        await emulator.close();
        removeDir(dir);
      }
    }
  }
  return { section: s, metrics, details };
}
