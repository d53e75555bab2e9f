// Where local time goes: stages one export into a fresh state file (parsing thread + SQLite), then plans it,
// printing the wall and CPU time of each phase and the peak RSS so far. The speed section measures the
// whole; this splits it.
// Usage (after npm run build): npx tsx bench/phases.ts FILE [--in-thread]
//   --in-thread: parse in the main thread (stageSource) instead of the parsing thread, to compare.
// A CPU profile of each thread: node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/phases.ts FILE
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { built } from '../test/support/built.js';
import { scratchDir } from './workspace.js';

const { configSchema } = await built<typeof import('../src/config/schema.js')>('config/schema.js');
const { planPending } = await built<typeof import('../src/run/plan.js')>('run/plan.js');
const { planTotals } = await built<typeof import('../src/state/plan-totals.js')>('state/plan-totals.js');
const { stageExport, stageSource } = await built<typeof import('../src/run/stage.js')>('run/stage.js');
const { StateStore } = await built<typeof import('../src/state/store.js')>('state/store.js');
const { readSource } = await built<typeof import('../src/source/index.js')>('source/index.js');

const [file, flag] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: npx tsx bench/phases.ts FILE [--in-thread]\n');
  process.exit(1);
}
const config = configSchema.parse({ source: { files: [file] }, target: { mailboxId: 1 } });
const dir = scratchDir('phases');
const started = { wall: performance.now(), cpu: process.cpuUsage() };
let last = { wall: started.wall, cpu: started.cpu };
function lap(phase: string): void {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system - last.cpu.user - last.cpu.system) / 1000;
  process.stdout.write(
    `${phase.padEnd(8)} wall ${Math.round(wall - last.wall)} ms, cpu (both threads) ${Math.round(cpuMs)} ms, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`,
  );
  last = { wall, cpu };
}
try {
  const store = StateStore.open(join(dir, 'state.sqlite'));
  lap('open');
  await store.bulk(async () => {
    const counts =
      flag === '--in-thread'
        ? await stageSource(store, readSource(config.source, { baseDir: process.cwd() }), 1)
        : await stageExport(store, config.source, process.cwd(), 1);
    lap('stage');
    planPending(store, 1, {
      strategy: 'batch',
      maxRequestBytes: 256 * 1024,
      status: 'closed',
      tags: [],
      subjectTemplate: '{subject}',
      partSubjectTemplate: '{subject} ({part}/{parts})',
    });
    lap('plan');
    process.stdout.write(`rows read ${counts.rowsRead}, valid ${counts.rowsValid}\n`);
  });
  lap('journal');
  planTotals(store);
  store.close();
  lap('close');
  const total = performance.now() - started.wall;
  process.stdout.write(`total    wall ${Math.round(total)} ms\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
