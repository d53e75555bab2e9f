import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timedCli, writeConfig } from './cli-runner.js';
import { removeDir, scratchDir } from './workspace.js';

const RSS_PRELOAD = fileURLToPath(new URL('./max-rss-preload.mjs', import.meta.url));
const CSV_PARSE_ONLY = fileURLToPath(new URL('./csv-parse-only.mjs', import.meta.url));
const JSONL_PARSE_ONLY = fileURLToPath(new URL('./jsonl-parse-only.mjs', import.meta.url));

export interface ValidateRun {
  rowsRead: number;
  wallMs: number;
  maxRssKiB: number;
}

/** `hs-import validate` on one file, timed from spawn to exit, with the child's peak RSS. */
export async function runValidate(file: string, nodeArgs: string[] = []): Promise<ValidateRun> {
  const dir = scratchDir('validate');
  const rssFile = join(dir, 'max-rss');
  try {
    const config = writeConfig(dir, { files: [file], apiUrl: 'embedded' });
    const exit = await timedCli(['validate', '--config', config], dir, { BENCH_RSS_FILE: rssFile }, [
      '--import',
      RSS_PRELOAD,
      ...nodeArgs,
    ]);
    if (exit.code !== 0 && exit.code !== 2) {
      throw new Error(`validate exited ${exit.code}: ${exit.stderr.slice(-2000)}`);
    }
    const rowsRead = Number(/rows read (\d+)/.exec(exit.stdout)?.[1] ?? Number.NaN);
    return { rowsRead, wallMs: exit.wallMs, maxRssKiB: Number(readFileSync(rssFile, 'utf8')) };
  } finally {
    removeDir(dir);
  }
}

/** csv-parse alone on the same file, in a child process too. */
export function runCsvParseOnly(file: string): Promise<{ records: number; wallMs: number }> {
  return runYardstick(CSV_PARSE_ONLY, file);
}

/** A bare JSON.parse loop over a JSONL file's lines; `records` counts the messages (comments). */
export function runJsonlParseOnly(file: string): Promise<{ records: number; wallMs: number }> {
  return runYardstick(JSONL_PARSE_ONLY, file);
}

function runYardstick(script: string, file: string): Promise<{ records: number; wallMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${script} exited ${code}`));
      else resolve({ records: Number(out.trim()), wallMs: performance.now() - started });
    });
  });
}
