import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ConfigOverrides } from '../config/load.js';

/** The flags every command shares: the config overrides, plus which config and whether to ask. */
export interface CommonOptions extends ConfigOverrides {
  config?: string;
  yes?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The options every command shares (product.md); each overrides the config file. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('--config <file>', 'config file (default import.config.json)')
    .option('--source <file>', 'source CSV (repeatable; replaces source.files)', collect)
    .option('--api-url <url>', 'Help Scout API base URL, or "embedded" for the in-process emulator')
    .option('--mailbox <id>', 'Help Scout mailbox id', positiveInt)
    .option('--state <file>', 'state file')
    .option('--report-dir <dir>', 'folder for mapping.csv, rejects.csv, summary.json and the log')
    .addOption(new Option('--strategy <name>', 'how threads are sent').choices(['batch', 'per-thread']))
    .option('--concurrency <n>', 'conversations sent at once', positiveInt)
    .option(
      '--rate-limit <n>',
      "the account's rate limit in points a minute (default: from the API's headers)",
      positiveInt,
    )
    .option('--sample <n>', 'only the first N conversations', positiveInt)
    .addOption(
      new Option('--log-level <level>', 'log level').choices([
        'trace',
        'debug',
        'info',
        'warn',
        'error',
        'fatal',
        'silent',
      ]),
    )
    .option('--yes', 'do not ask for confirmation');
}

export function overridesOf(o: CommonOptions): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (o.source) overrides.source = o.source;
  if (o.apiUrl) overrides.apiUrl = o.apiUrl;
  if (o.mailbox) overrides.mailbox = o.mailbox;
  if (o.state) overrides.state = o.state;
  if (o.reportDir) overrides.reportDir = o.reportDir;
  if (o.strategy) overrides.strategy = o.strategy;
  if (o.concurrency) overrides.concurrency = o.concurrency;
  if (o.rateLimit) overrides.rateLimit = o.rateLimit;
  if (o.sample) overrides.sample = o.sample;
  if (o.logLevel) overrides.logLevel = o.logLevel;
  return overrides;
}
