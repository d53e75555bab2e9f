import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import type { Emulator, FaultOptions } from '../../src/emulator/index.js';
import { ENV, runCli, spawnCli, waitForExit } from './cli.js';
import { tempDir, validRowsOf, writeConfig } from './fixtures.js';
import { GENERATED_COLUMNS, generateExport, prng } from './generate-export.js';
import { checkImport, readMapping } from './import-check.js';
import { importInProcess } from './in-process-import.js';
import { keepAlive } from './keep-alive.js';
import { killAfterWrites } from './kill-after-writes.js';

export interface CrashScenario {
  seed: number;
  minThreads: number;
  fixed: number[];
  kills: number;
  /** How many writes the emulator receives from a run before it is killed (seeded, within this range). */
  killAfterWrites: [number, number];
  strategy: 'batch' | 'per-thread';
  faults: FaultOptions;
  /** False: the final run resends in-doubt writes blindly (injected in process, never a user setting). */
  readBack?: boolean;
  /** Config keys of the importer set for this scenario (e.g. a shorter read-back horizon). */
  config?: Record<string, unknown>;
  /** How bodies are compared: `as-read` for an emulator that rewrites them. */
  compare?: 'exact' | 'as-read';
  /** jsonl: the export as JSON Lines, a message a line, read through `source.shapes`. */
  format?: 'csv' | 'jsonl';
}

/** The generated CSV as JSON Lines (a record a row, its cells under the header's names), and the source config. */
async function asJsonLines(csvPath: string): Promise<{ files: string[]; shapes: unknown[] }> {
  const jsonlPath = csvPath.replace(/\.csv$/, '.jsonl');
  const lines: string[] = [];
  for await (const record of createReadStream(csvPath).pipe(parse({ columns: true })))
    lines.push(JSON.stringify(record));
  writeFileSync(jsonlPath, `${lines.join('\n')}\n`);
  const fields = Object.fromEntries(GENERATED_COLUMNS.map((column) => [column, column]));
  return { files: [jsonlPath], shapes: [{ message: { fields } }] };
}

export interface CrashReport {
  rows: number;
  conversations: number;
  kills: number;
  runs: number;
  exitCodes: (number | null)[];
  problems: string[];
  /** The ledger's writes by outcome and how in-doubt ones were resolved (`outcome / resolution` → count). */
  ledger: Record<string, number>;
  faults: Record<string, number>;
}

/**
 * Generates an export, imports it with the built CLI against `emulator`, killing the importer with SIGKILL at
 * seeded moments, then reruns it until it finishes; returns what the checker finds in the emulator.
 */
/**
 * The settings of a run that is killed and run again: short timeouts and retries, and a short in-doubt
 * horizon (the default 10 minutes would make a rerun wait that long).
 */
export function crashRunSettings(dir: string, apiUrl: string) {
  return {
    target: { apiUrl, mailboxId: 1 },
    strategy: 'batch',
    concurrency: 4,
    state: join(dir, 'state.sqlite'),
    reportDir: join(dir, 'report'),
    requestTimeoutMs: 700,
    reconcile: { searchRetries: 3, searchDelayMs: 50, resendAfterSeconds: 2 },
    retry: { retries: 6, minDelayMs: 20, maxDelayMs: 200 },
    logLevel: 'error',
  };
}

export async function crashScenario(emulator: Emulator, s: CrashScenario): Promise<CrashReport> {
  const dir = tempDir(`crash-${s.seed}`);
  const source = join(dir, 'export.csv');
  const { rows, conversations } = await generateExport(source, {
    seed: s.seed,
    fixed: s.fixed,
    minThreads: s.minThreads,
  });
  const sourceConfig = s.format === 'jsonl' ? await asJsonLines(source) : { files: [source] };
  const config = writeConfig(dir, {
    source: sourceConfig,
    ...crashRunSettings(dir, emulator.url),
    strategy: s.strategy,
    ...s.config,
  });
  emulator.setFaults(s.faults);
  const random = prng(s.seed ^ 0x5eed);
  const report: CrashReport = {
    rows,
    conversations,
    kills: 0,
    runs: 0,
    exitCodes: [],
    problems: [],
    ledger: {},
    faults: {},
  };
  const faultsBefore = { ...emulator.stats().faults };
  const args = ['import', '--config', config];
  for (let k = 0; k < s.kills; k++) {
    const child = spawnCli(args, { cwd: dir, env: ENV });
    const exit = waitForExit(child);
    const [least, most] = s.killAfterWrites;
    await killAfterWrites(emulator, child, least + Math.floor(random() * (most - least)), exit);
    const result = await exit;
    report.runs += 1;
    report.exitCodes.push(result.code);
    if (result.signal === 'SIGKILL') report.kills += 1;
    else if (result.code === 1) throw new Error(`run failed: ${result.stderr}`);
  }
  for (let attempt = 0; attempt < 6; attempt++) {
    const last =
      s.readBack === false
        ? { code: await importInProcess(config, dir, { readBack: false }), stderr: '' }
        : await runCli(args, { cwd: dir, env: ENV });
    report.runs += 1;
    report.exitCodes.push(last.code);
    if (last.code === 0) break;
    if (last.code === 1) throw new Error(`run failed: ${last.stderr}`);
  }
  emulator.setFaults(undefined);
  for (const [kind, count] of Object.entries(emulator.stats().faults)) {
    report.faults[kind] = count - (faultsBefore[kind as keyof typeof faultsBefore] ?? 0);
  }
  const db = keepAlive(new Database(join(dir, 'state.sqlite'), { readonly: true }));
  const byOutcome = keepAlive(
    db.prepare(
      "SELECT coalesce(outcome, 'open') AS outcome, coalesce(resolution, '-') AS resolution, count(*) AS n FROM writes GROUP BY 1, 2",
    ),
  );
  for (const r of byOutcome.all() as { outcome: string; resolution: string; n: number }[]) {
    report.ledger[`${r.outcome} / ${r.resolution}`] = r.n;
  }
  db.close();
  const valid = validRowsOf([source], 'UTC');
  const mapping = readMapping(join(dir, 'report', 'mapping.csv'));
  report.problems = checkImport(emulator.state(), valid, mapping, 'closed', s.compare ?? 'exact');
  return report;
}
