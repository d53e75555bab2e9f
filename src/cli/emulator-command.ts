import type { Command } from 'commander';
import { CorruptDataFileError, type EmulatorOptions, startEmulator } from '../emulator/index.js';
import { FatalError } from '../util/errors.js';

export interface EmulatorCommandOptions {
  port: string;
  host: string;
  rateLimit: string;
  profile: string;
  data?: string;
  faults?: string;
  options?: string;
}

/** Declares `hs-import emulator` and its flags on `program`; the caller adds the action. */
export function emulatorCommand(program: Command): Command {
  return program
    .command('emulator')
    .description('run the local Help Scout emulator as a server, with a read-only web view at its root')
    .option('--port <n>', 'port (0: any free one)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--rate-limit <n>', 'points a minute', '400')
    .option('--profile <name>', 'optimistic (friendly answers) or pessimistic (the worse ones)', 'optimistic')
    .option('--data <file>', 'keep the data in this file across restarts')
    .option('--faults <json>', 'fault injection options as JSON')
    .option('--options <json>', 'further emulator options as JSON, e.g. {"searchLagMs":0}');
}

const usage = (message: string) => new FatalError('USAGE', message);

/** What `--options` may set (the rest have their own flags, or are for tests only). */
const SETTABLE: readonly (keyof EmulatorOptions)[] = [
  'searchLagMs',
  'historicModifiedAt',
  'replyReactivates',
  'autoAssign',
  'rewriteBodies',
  'inlineCreatedAtNeedsThreadImported',
  'dropInlineAttachments',
  'maxRequestBytes',
  'maxCreateConversationBytes',
  'threadIdHeader',
  'otherPrimaryEmail',
  'listDeleted',
  'accessDenied',
  'tokenFaults',
  'tokenExpiresInSeconds',
  'acceptJsonTokenRequests',
  'standardRetryAfterHeader',
  'pageLinkTemplated',
  'emptyPageEmbedded',
  'tooOldBefore',
  'threadPageSize',
  'listPageSize',
];

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usage(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function jsonObject(flag: string, raw: string, example: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw usage(`${flag} must be JSON, e.g. ${example}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage(`${flag} must be a JSON object, e.g. ${example}`);
  }
  return value as Record<string, unknown>;
}

/** The flags as emulator options; a bad flag is one line naming it. */
export function emulatorOptionsOf(o: EmulatorCommandOptions): EmulatorOptions {
  if (o.profile !== 'optimistic' && o.profile !== 'pessimistic') {
    throw usage(`--profile must be optimistic or pessimistic, got "${o.profile}"`);
  }
  if (o.host.trim() === '') throw usage('--host must not be empty');
  const extra = o.options ? jsonObject('--options', o.options, '{"searchLagMs":0}') : {};
  const unknown = Object.keys(extra).filter((k) => !(SETTABLE as string[]).includes(k));
  if (unknown.length > 0) {
    throw usage(`--options: unknown option ${unknown.join(', ')} (known: ${SETTABLE.join(', ')})`);
  }
  const faults = o.faults ? jsonObject('--faults', o.faults, '{"seed":1,"dropAfterCommit":0.05}') : undefined;
  return {
    ...extra,
    profile: o.profile,
    host: o.host,
    port: wholeNumber('--port', o.port, 0, 65535),
    rateLimitPerMinute: wholeNumber('--rate-limit', o.rateLimit, 1, 1_000_000),
    ...(o.data ? { dataFile: o.data } : {}),
    ...(faults ? { faults } : {}),
  };
}

/** `hs-import emulator`: the emulator as a server until SIGINT/SIGTERM. */
export async function runEmulatorCommand(options: EmulatorCommandOptions): Promise<number> {
  const opts = emulatorOptionsOf(options);
  const emulator = await startEmulator(opts).catch((error: unknown) => {
    const e = error as NodeJS.ErrnoException;
    // Options the emulator refuses (TypeError) and addresses it cannot listen on are the user's to fix.
    if (e instanceof TypeError) throw usage(`${options.options ? '--options: ' : ''}${e.message}`);
    if (e.code === 'EADDRINUSE') throw usage(`--port ${opts.port} is already in use on ${opts.host}`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
      throw usage(`--host ${opts.host}: cannot listen on this address (${e.code})`);
    }
    if (e instanceof CorruptDataFileError) throw usage(`--data: ${e.message}`);
    if (options.data && e.code && e.path !== undefined) {
      throw usage(`--data ${options.data}: cannot use this file (${e.code} on ${e.path})`);
    }
    if (e.code === 'EACCES') throw usage(`--port ${opts.port}: permission denied on ${opts.host}`);
    throw error;
  });
  process.stdout.write(
    `Help Scout emulator (${opts.profile} profile) listening at ${emulator.url} ` +
      '(app id demo-app-id, secret demo-app-secret)\n' +
      `Web view of the account: ${emulator.url.replace(/v2\/$/, '')}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await emulator.close();
  return 0;
}
