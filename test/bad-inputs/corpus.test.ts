/**
 * The bad-inputs corpus: one folder per case under cases/, with its input (CSV files, config.json) and an
 * expect.json saying what the built CLI must do with it. See README.md for the keys.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

interface Expect {
  about: string;
  command?: 'validate' | 'import';
  /** The --config given (default config.json, written when the case has none). */
  config?: string;
  args?: string[];
  /** The environment of an import (default: the emulator's demo credentials). */
  env?: Record<string, string>;
  exit: number;
  /** Words the output (stdout and stderr) must hold, case-insensitive. */
  message?: string[];
  /** Words the output must not hold (a secret, say), case-insensitive. */
  absent?: string[];
  /** Paths (in the case's folder) that must not exist after the run: nothing was created. */
  absentFiles?: string[];
  /** Rows valid after reading (and rows read = valid + rejected). */
  valid?: number;
  /** Exactly these rejects, in order: row, field, and words of the reason. */
  rejected?: { row: number; field: string; reason: string }[];
  /** import: the texts that must each arrive exactly once, and nothing else. */
  arrive?: string[];
  /** import: exactly these failed threads (failures.csv), in order: text, the field named, words of the reason. */
  failed?: { text: string; field: string; reason: string }[];
  /** import: options of the emulator the case runs against (faults that refuse, say). */
  emulator?: EmulatorOptions;
  /** A file made at run time: `text` repeated to `bytes`, in place of `placeholder` in `file`. */
  generate?: { file: string; placeholder: string; text: string; bytes: number };
  /** A SQLite database of another application, made at run time at this path. */
  foreignDatabase?: string;
  /** Made at run time (a name the repository ignores): a folder, or a file with this text. */
  occupy?: { path: string; folder?: boolean; text?: string };
}

const CASES = fileURLToPath(new URL('./cases/', import.meta.url));
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

function defaultConfig(apiUrl: string): string {
  return JSON.stringify({
    source: { files: ['chats.csv'] },
    target: { apiUrl, mailboxId: 1 },
    state: 'state.sqlite',
    reportDir: 'report',
    reconcile: { searchRetries: 1, searchDelayMs: 10 },
    logLevel: 'error',
  });
}

/** validate's counts and reject lines. */
function validateOutcome(stdout: string) {
  const counts = /rows read (\d+), valid (\d+), rejected (\d+)/.exec(stdout);
  const rejects = [...stdout.matchAll(/^rejected: .+? row (\d+) \(line \d+\) (\S+): (.*)$/gm)].map((m) => ({
    row: Number(m[1]),
    field: m[2] as string,
    reason: m[3] as string,
  }));
  return { counts: counts ? counts.slice(1).map(Number) : undefined, rejects };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A report's rows (none when it is not there). */
function readReport(path: string): Record<string, string>[] {
  return isFile(path)
    ? (parse(readFileSync(path), { columns: true, bom: true }) as Record<string, string>[])
    : [];
}

/** import's counts (summary.json) and rejects (rejects.csv). */
function importOutcome(dir: string) {
  const summaryPath = join(dir, 'report', 'summary.json');
  const rejectsPath = join(dir, 'report', 'rejects.csv');
  const summary = isFile(summaryPath) ? JSON.parse(readFileSync(summaryPath, 'utf8')) : undefined;
  const rows = isFile(rejectsPath)
    ? (parse(readFileSync(rejectsPath), { columns: true, bom: true }) as Record<string, string>[])
    : [];
  return {
    counts: summary ? [summary.rows.read, summary.rows.valid, summary.rows.rejected] : undefined,
    rejects: rows.map((r) => ({
      row: Number(r.reject_row),
      field: r.reject_field as string,
      reason: r.reject_reason as string,
    })),
    summary,
  };
}

async function runCase(name: string): Promise<void> {
  const expect = JSON.parse(readFileSync(join(CASES, name, 'expect.json'), 'utf8')) as Expect;
  const dir = tempDir(`bad-${name}`);
  cpSync(join(CASES, name), dir, { recursive: true });
  if (expect.generate) {
    const { file, placeholder, text, bytes } = expect.generate;
    const content = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), content.replace(placeholder, text.repeat(Math.ceil(bytes / text.length))));
  }
  if (expect.foreignDatabase) {
    const db = new Database(join(dir, expect.foreignDatabase));
    db.exec('PRAGMA application_id = 42; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();
  }
  if (expect.occupy) {
    const { path, folder, text } = expect.occupy;
    if (folder) mkdirSync(join(dir, path), { recursive: true });
    else writeFileSync(join(dir, path), text ?? '');
  }
  const command = expect.command ?? 'validate';
  const online = command === 'import' || (expect.args ?? []).includes('--online');
  const emulator = online
    ? await startEmulator({ rateLimitPerMinute: 1_000_000, ...expect.emulator })
    : undefined;
  try {
    const apiUrl = emulator?.url ?? 'embedded';
    const configPath = join(dir, 'config.json');
    if (existsSync(configPath))
      writeFileSync(configPath, readFileSync(configPath, 'utf8').replaceAll('{API_URL}', apiUrl));
    else writeFileSync(configPath, defaultConfig(apiUrl));
    const args = [command, '--config', expect.config ?? 'config.json', ...(expect.args ?? [])];
    const env = online ? (expect.env ?? ENV) : {};
    const result = await runCli(args, { cwd: dir, env });
    const output = `${result.stdout}\n${result.stderr}`;
    const shown = `${name}: ${expect.about}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
    assert.equal(result.code, expect.exit, `exit code\n${shown}`);
    assert.doesNotMatch(result.stderr, STACK_TRACE, `no stack trace\n${shown}`);
    for (const word of expect.message ?? [])
      assert.ok(output.toLowerCase().includes(word.toLowerCase()), `the output names "${word}"\n${shown}`);
    for (const word of expect.absent ?? [])
      assert.ok(
        !output.toLowerCase().includes(word.toLowerCase()),
        `the output never names "${word}"\n${shown}`,
      );
    for (const path of expect.absentFiles ?? [])
      assert.ok(!existsSync(join(dir, path)), `${path} was not created\n${shown}`);
    const outcome = command === 'import' ? importOutcome(dir) : validateOutcome(result.stdout);
    if (expect.valid !== undefined) {
      assert.ok(outcome.counts, `counts shown\n${shown}`);
      const [read, valid, rejected] = outcome.counts;
      assert.equal(valid, expect.valid, `valid rows\n${shown}`);
      assert.equal(read, valid + rejected, `rows read = valid + rejected\n${shown}`);
    }
    if (expect.rejected !== undefined) {
      assert.deepEqual(
        outcome.rejects.map((r) => ({ row: r.row, field: r.field })),
        expect.rejected.map((r) => ({ row: r.row, field: r.field })),
        `rejects\n${shown}`,
      );
      expect.rejected.forEach((r, i) => {
        const reason = outcome.rejects[i]?.reason ?? '';
        assert.ok(
          reason.toLowerCase().includes(r.reason.toLowerCase()),
          `reason "${reason}" names "${r.reason}"`,
        );
      });
    }
    if (expect.failed !== undefined) {
      const failures = readReport(join(dir, 'report', 'failures.csv'));
      assert.deepEqual(
        failures.map((f) => ({ text: f.text, field: f.failure_field })),
        expect.failed.map((f) => ({ text: f.text, field: f.field })),
        `failures.csv\n${shown}`,
      );
      expect.failed.forEach((f, i) => {
        const reason = failures[i]?.failure_reason ?? '';
        assert.ok(
          reason.toLowerCase().includes(f.reason.toLowerCase()),
          `reason "${reason}" names "${f.reason}"`,
        );
      });
    }
    if (emulator) {
      const bodies = emulator.state().conversations.flatMap((c) => c.threads.map((t) => t.body));
      const expected = expect.arrive ?? [];
      assert.deepEqual(
        [...bodies].sort(),
        [...expected].sort(),
        `each valid row arrives once, nothing else\n${shown}`,
      );
      if (command === 'import' && 'summary' in outcome && outcome.summary) {
        const s = outcome.summary;
        assert.ok(s.conversations.done <= s.conversations.total, 'conversations done ≤ conversations');
      }
    }
  } finally {
    await emulator?.close();
  }
}

describe('bad inputs, through the built CLI', { concurrency: 4 }, () => {
  // BAD_INPUTS=name,name runs only those cases (while working on them).
  const only = process.env.BAD_INPUTS ? process.env.BAD_INPUTS.split(',') : undefined;
  for (const name of readdirSync(CASES).sort())
    if (!only || only.includes(name)) it(name, () => runCase(name));
});
