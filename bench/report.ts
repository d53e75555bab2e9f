import { writeFileSync } from 'node:fs';
import type { Metric, SectionResult } from './types.js';

const HEADERS = ['section', 'metric', 'value', 'goal', 'pass'];

function passText(pass: boolean | null): string {
  return pass === null ? '' : pass ? 'pass' : 'FAIL';
}

function cells(m: Metric): string[] {
  return [m.section, m.metric, m.display, m.goal, passText(m.pass)];
}

/** The table for a terminal: columns padded to their widest cell. */
export function textTable(metrics: readonly Metric[]): string {
  const rows = [HEADERS, ...metrics.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0] as string[]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** The same table in Markdown, for BENCHMARKS.md. */
export function markdownTable(metrics: readonly Metric[]): string {
  const escapePipes = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map(() => '---').join('|')}|`,
    ...metrics.map((m) => `| ${cells(m).map(escapePipes).join(' | ')} |`),
  ].join('\n');
}

export function writeResults(
  path: string,
  run: {
    date: string;
    machine: Record<string, unknown>;
    sizes: unknown;
    sections: SectionResult[];
    errors: Record<string, string>;
  },
): void {
  const metrics = run.sections.flatMap((s) => s.metrics);
  const body = {
    date: run.date,
    machine: run.machine,
    sizes: run.sizes,
    table: metrics,
    sections: Object.fromEntries(run.sections.map((s) => [s.section, s.details])),
    errors: run.errors,
    markdown: markdownTable(metrics),
  };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
}
