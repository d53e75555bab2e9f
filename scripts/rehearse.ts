import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '../src/emulator/index.js';

/**
 * `npm run rehearse [-- options]`: imports the export of import.config.json (the demo) into a local emulator
 * that keeps running, then serves its read-only web view until Ctrl-C. Each rehearsal starts from an empty
 * account; `--resume` continues the last one instead (an interrupted long one), on the port it used, since a
 * state file belongs to one API address.
 *
 * Own options: --port N (8080; 0 for any free port), --rate-limit N (points a minute, 400 as Help Scout),
 * --dir D (.hs-import), --resume. Anything else goes to `hs-import import` (--config my.json, --sample 20…).
 */
const REHEARSAL_TOKEN = 'rehearsal-token';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function takeOption(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const [, value] = args.splice(at, 2);
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}

async function listen(port: number, rateLimitPerMinute: number, dataFile: string): Promise<Emulator> {
  // The token is the emulator's own: a real one in the environment or .env never reaches it.
  const options = { port, rateLimitPerMinute, dataFile, accessTokens: [REHEARSAL_TOKEN] };
  try {
    return await startEmulator(options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stdout.write(`Port ${port} is taken; using a free one.\n`);
    return startEmulator({ ...options, port: 0 });
  }
}

function runImport(apiUrl: string, dir: string, extra: string[]): Promise<number> {
  const args = [CLI, 'import', '--api-url', apiUrl, '--state', join(dir, 'rehearsal.sqlite')];
  const child = spawn(process.execPath, [...args, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, HELPSCOUT_ACCESS_TOKEN: REHEARSAL_TOKEN },
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function rememberedPort(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`nothing to resume: ${file} does not exist (run without --resume first)`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const resume = args.includes('--resume');
  if (resume) args.splice(args.indexOf('--resume'), 1);
  const dir = takeOption(args, '--dir', '.hs-import');
  const portFile = join(dir, 'rehearsal.port');
  const lastPort = resume ? rememberedPort(portFile) : undefined;
  const port = Number(takeOption(args, '--port', lastPort ?? process.env.REHEARSE_PORT ?? '8080'));
  const rateLimit = Number(takeOption(args, '--rate-limit', '400'));
  if (!args.includes('--report-dir')) args.push('--report-dir', join(dir, 'rehearsal-report'));
  const dataFile = join(dir, 'rehearsal.emulator.jsonl');
  if (!resume) {
    for (const file of [
      dataFile,
      ...['', '-wal', '-shm', '-journal'].map((x) => join(dir, `rehearsal.sqlite${x}`)),
    ])
      rmSync(file, { force: true });
  }

  const emulator = await listen(port, rateLimit, dataFile);
  mkdirSync(dir, { recursive: true });
  writeFileSync(portFile, `${emulator.port}\n`);
  // Ctrl-C reaches the import too (same terminal): it stops cleanly and a rerun resumes.
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      stopping = true;
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write(`Emulator at ${emulator.url}; importing…\n`);
  const code = await runImport(emulator.url, dir, args);
  const view = emulator.url.replace(/v2\/$/, '');
  if (!stopping) {
    process.stdout.write(
      `\nImport finished (exit ${code}). Look at the rehearsal in a browser: ${view}\nThe emulator keeps serving until Ctrl-C.\n`,
    );
    await stopped;
  }
  await emulator.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`rehearse: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
