import { type Command, Option } from 'commander';
import { type ConfigOverrides, checkApiUrl } from '../config/load.js';
import { FatalError } from '../util/errors.js';

/**
 * The flags as typed: numbers stay text until `overridesOf` checks them, so an error names the flag
 * ("--concurrency: …"), never the config file the value would have been merged into.
 */
export interface CommonOptions {
  config?: string;
  source?: string[];
  apiUrl?: string;
  mailbox?: string;
  state?: string;
  reportDir?: string;
  strategy?: 'batch' | 'per-thread';
  concurrency?: string;
  rateLimit?: string;
  sample?: string;
  logLevel?: string;
  yes?: boolean;
  conversations?: boolean;
  json?: boolean;
  links?: boolean;
  retryFailed?: boolean;
  online?: boolean;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Every flag once; each command takes the ones it uses, so its `--help` shows only those. */
const OPTIONS = {
  config: () => new Option('--config <file>', 'config file (default import.config.json)'),
  source: () =>
    new Option('--source <file>', 'source export (repeatable; replaces source.files)').argParser(collect),
  apiUrl: () =>
    new Option('--api-url <url>', 'Help Scout API base URL, or "embedded" for the in-process emulator'),
  mailbox: () => new Option('--mailbox <id>', 'Help Scout mailbox id (hs-import mailboxes lists them)'),
  state: () => new Option('--state <file>', 'state file'),
  reportDir: () =>
    new Option('--report-dir <dir>', 'folder for mapping.csv, rejects.csv, summary.json and the log'),
  strategy: () => new Option('--strategy <name>', 'how threads are sent').choices(['batch', 'per-thread']),
  concurrency: () => new Option('--concurrency <n>', 'conversations sent at once (1 to 64)'),
  rateLimit: () =>
    new Option('--rate-limit <n>', "the account's rate limit in points a minute (default: from the API)"),
  sample: () => new Option('--sample <n>', 'only the first N conversations'),
  logLevel: () =>
    new Option('--log-level <level>', 'debug logs every request; trace adds bodies, masked').choices(
      LOG_LEVELS,
    ),
  yes: () => new Option('--yes', 'do not ask for confirmation'),
  conversations: () => new Option('--conversations', 'list every conversation not done'),
  json: () => new Option('--json', 'print JSON, for scripts'),
  retryFailed: () =>
    new Option(
      '--retry-failed',
      'send failed threads again even if their row did not change (a changed row is sent again anyway)',
    ),
  links: () =>
    new Option('--links', "add Help Scout's conversation numbers and web links (one read a conversation)"),
  online: () =>
    new Option(
      '--online',
      'also check with reads only: the credentials, the mailbox and every customer_id (one read each)',
    ),
} as const;

export type OptionName = keyof typeof OPTIONS;

export function addOptions(command: Command, names: readonly OptionName[]): Command {
  for (const name of names) command.addOption(OPTIONS[name]());
  return command;
}

/** A flag's whole number, checked against the same bounds as the config key it overrides. */
function wholeNumber(flag: string, value: string, max?: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1 || (max !== undefined && n > max)) {
    const range = max === undefined ? 'a whole number of 1 or more' : `a whole number from 1 to ${max}`;
    throw new FatalError('FLAG_INVALID', `${flag}: must be ${range} (got "${value}")`);
  }
  return n;
}

/** A URL as it may be shown: a password typed into it must not reach the terminal. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//…@');
}

export function overridesOf(o: CommonOptions): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (o.source) overrides.source = o.source;
  if (o.apiUrl !== undefined) {
    try {
      checkApiUrl(o.apiUrl);
    } catch {
      throw new FatalError(
        'FLAG_INVALID',
        `--api-url: must be an https URL (plain http only to this machine) without "user:password@", or "embedded" (got "${withoutCredentials(o.apiUrl)}")`,
      );
    }
    overrides.apiUrl = o.apiUrl;
  }
  if (o.mailbox !== undefined) overrides.mailbox = wholeNumber('--mailbox', o.mailbox);
  if (o.state) overrides.state = o.state;
  if (o.reportDir) overrides.reportDir = o.reportDir;
  if (o.strategy) overrides.strategy = o.strategy;
  if (o.concurrency !== undefined) overrides.concurrency = wholeNumber('--concurrency', o.concurrency, 64);
  if (o.rateLimit !== undefined) overrides.rateLimit = wholeNumber('--rate-limit', o.rateLimit);
  if (o.sample !== undefined) overrides.sample = wholeNumber('--sample', o.sample);
  if (o.logLevel) overrides.logLevel = o.logLevel;
  return overrides;
}
