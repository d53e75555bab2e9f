import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** The credentials of the emulator's demo app, as the CLI takes them from the environment. */
export const ENV = { HELPSCOUT_APP_ID: 'demo-app-id', HELPSCOUT_APP_SECRET: 'demo-app-secret' };

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A clean environment: PATH, and TMPDIR when set, so what a child leaves in the temp folder lands in the same
 * one as the tests' own folders (a run under a fresh TMPDIR then shows everything the suite leaves behind).
 */
export function cleanEnv(): Record<string, string> {
  const { PATH = '', TMPDIR } = process.env;
  return TMPDIR ? { PATH, TMPDIR } : { PATH };
}

/** Starts the built CLI (`npm test` builds it first) with a clean environment plus `env`. */
export function spawnCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...cleanEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function waitForExit(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return waitForExit(spawnCli(args, options));
}

/** Resolves when `child` has written a line matching `pattern` to stderr (its log); rejects if it exits first. */
export function stderrLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('close', () => reject(new Error(`exited before writing ${pattern}: ${seen.slice(-500)}`)));
  });
}
