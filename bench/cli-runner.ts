import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../src/run/summary.js';
import { REPO_ROOT, spawnCli, waitForExit } from '../test/support/cli.js';

export const CREDENTIALS = { HELPSCOUT_APP_ID: 'demo-app-id', HELPSCOUT_APP_SECRET: 'demo-app-secret' };

export interface RunConfig {
  files: string[];
  apiUrl: string;
  strategy?: 'batch' | 'per-thread';
  concurrency?: number;
  timezone?: string;
}

/** Writes an import.config.json in `dir` whose state and report stay in `dir`. */
export function writeConfig(dir: string, run: RunConfig): string {
  const config = {
    source: { files: run.files, timezone: run.timezone ?? 'UTC' },
    target: { apiUrl: run.apiUrl, mailboxId: 1 },
    strategy: run.strategy ?? 'batch',
    concurrency: run.concurrency ?? 8,
    state: join(dir, 'state.sqlite'),
    reportDir: join(dir, 'report'),
    logLevel: 'warn',
  };
  const path = join(dir, 'import.config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

export interface TimedExit {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs the built CLI as a child process and times it from spawn to exit. */
export async function timedCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<TimedExit> {
  const started = performance.now();
  const child = spawnCli(args, { cwd, env: { ...CREDENTIALS, ...env, ...nodeOptions(nodeArgs) } });
  const result = await waitForExit(child);
  return {
    code: result.code,
    stdout: result.stdout,
    stderr: result.stderr,
    wallMs: performance.now() - started,
  };
}

/** Node flags for the child through NODE_OPTIONS, since spawnCli puts the CLI script first. */
function nodeOptions(nodeArgs: string[]): Record<string, string> {
  return nodeArgs.length === 0 ? {} : { NODE_OPTIONS: nodeArgs.join(' ') };
}

/** `hs-import import`; exit 0 is expected (2 when the export holds rejected rows on purpose). */
export async function runImport(
  dir: string,
  run: RunConfig,
  okCodes: number[] = [0],
): Promise<{ exit: TimedExit; summary: Summary }> {
  const config = writeConfig(dir, run);
  const exit = await timedCli(['import', '--config', config], dir);
  if (exit.code === null || !okCodes.includes(exit.code)) {
    throw new Error(`import exited ${exit.code}:\n${exit.stderr.slice(-2000)}\n${exit.stdout.slice(-2000)}`);
  }
  const summary = JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8')) as Summary;
  return { exit, summary };
}

export { REPO_ROOT };
