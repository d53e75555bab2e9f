import { fileURLToPath } from 'node:url';
import { readOptions } from './options.js';
import { textTable, writeResults } from './report.js';
import { budgetSection } from './sections/budget.js';
import { cautionSection } from './sections/caution.js';
import { jsonSection } from './sections/json.js';
import { memorySection } from './sections/memory.js';
import { naiveSection } from './sections/naive.js';
import { sharedBudgetSection } from './sections/shared-budget.js';
import { speedSection } from './sections/speed.js';
import { writesSection } from './sections/writes.js';
import type { SectionResult } from './types.js';
import { machine } from './workspace.js';

/**
 * `npm run bench [section…]`: budget, shared-budget, writes, naive, speed, memory, json, caution (none: all, in that order). Figures are
 * ratios measured within one run, since the machine may be shared and noisy. Sizes come from BENCH_* env
 * variables (see BENCHMARKS.md). Prints one table and writes bench/results.json.
 */
const SECTIONS = {
  budget: budgetSection,
  'shared-budget': sharedBudgetSection,
  writes: writesSection,
  naive: naiveSection,
  speed: speedSection,
  memory: memorySection,
  json: jsonSection,
  caution: cautionSection,
} as const;
type SectionName = keyof typeof SECTIONS;

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(a in SECTIONS));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown section(s): ${unknown.join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}\n`,
  );
  process.exit(1);
}
const chosen = (asked.length > 0 ? asked : Object.keys(SECTIONS)) as SectionName[];
const options = readOptions();
const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const results: SectionResult[] = [];
const errors: Record<string, string> = {};
for (const name of chosen) {
  const started = Date.now();
  log(`${name}: start`);
  try {
    results.push(await SECTIONS[name](options, log));
  } catch (error) {
    errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${name}: failed: ${errors[name]}`);
  }
  log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const date = new Date().toISOString();
const box = machine();
const metrics = results.flatMap((r) => r.metrics);
process.stdout.write(
  `\nhs-import bench, ${date}\n${box.cpu}, ${box.cores} cores, ${box.memoryGiB} GiB, node ${box.node}, ${box.platform}\n\n${textTable(metrics)}\n`,
);
for (const [name, message] of Object.entries(errors))
  process.stdout.write(`\n${name}: ERROR ${message.split('\n')[0]}\n`);
const out = process.env.BENCH_RESULTS ?? fileURLToPath(new URL('./results.json', import.meta.url));
writeResults(out, { date, machine: box, sizes: options, sections: results, errors });
process.stdout.write(`\nresults: ${out}\n`);
process.exitCode = Object.keys(errors).length > 0 || metrics.some((m) => m.pass === false) ? 1 : 0;
