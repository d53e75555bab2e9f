// Where local time goes: stages one export into a fresh state file (parsing thread + SQLite), then plans it,
// printing the wall and CPU time of each phase. The speed section measures the whole; this splits it.
// Usage (after npm run build): npx tsx bench/phases.ts FILE [--in-thread]
//   PLAN_HELPERS=N: N threads plan beside the main one (0: none); the CLI's choice by default.
//   --in-thread: parse in the main thread (stageSource) instead of the parsing thread, to compare.
// A CPU profile of each thread: node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/phases.ts FILE
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { built } from '../test/support/built.js';
import { scratchDir } from './workspace.js';

const { configSchema } = await built<typeof import('../src/config/schema.js')>('config/schema.js');
const { planPending } = await built<typeof import('../src/state/plan-store.js')>('state/plan-store.js');
const { planningHelpers } =
  await built<typeof import('../src/state/plan-in-workers.js')>('state/plan-in-workers.js');
const { planTotals } = await built<typeof import('../src/state/plan-totals.js')>('state/plan-totals.js');
const { stageExport, stageSource } =
  await built<typeof import('../src/state/staging.js')>('state/staging.js');
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
    `${phase.padEnd(18)} wall ${Math.round(wall - last.wall)} ms, cpu (both threads) ${Math.round(cpuMs)} ms\n`,
  );
  last = { wall, cpu };
}
try {
  const store = StateStore.open(join(dir, 'state.sqlite'));
  lap('open');
  const counts = await store.bulk(() =>
    flag === '--in-thread'
      ? stageSource(store, readSource(config.source, { baseDir: process.cwd() }), 1)
      : stageExport(store, config.source, process.cwd(), 1),
  );
  lap('stage');
  const helpers = Number(process.env.PLAN_HELPERS ?? planningHelpers());
  await planPending(
    store,
    1,
    {
      strategy: 'batch',
      maxRequestBytes: 256 * 1024,
      status: 'closed',
      tags: [],
      subjectTemplate: '{subject}',
      partSubjectTemplate: '{subject} ({part}/{parts})',
    },
    { helpers },
  );
  lap(`plan (+${helpers} threads)`);
  process.stdout.write(`rows read ${counts.rowsRead}, valid ${counts.rowsValid}\n`);
  planTotals(store);
  store.close();
  lap('close');
  const total = performance.now() - started.wall;
  process.stdout.write(`total    wall ${Math.round(total)} ms\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
