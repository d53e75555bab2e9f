import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadConfig, type ResolvedConfig, readCredentials } from '../config/load.js';
import { checkReportDir } from '../report/write-reports.js';
import { mailboxIdOf, runImport } from '../run/import.js';
import { formatSummary } from '../run/summary.js';
import { StateStore } from '../state/store.js';
import { systemClock } from '../util/clock.js';
import { HsImportError, StoppedError } from '../util/errors.js';
import { createLogger } from '../util/logger.js';
import { packageVersion } from '../util/version.js';
import { apiEndpointOf } from './api-endpoint.js';
import { emulatorCommand, runEmulatorCommand } from './emulator-command.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { withHelp } from './help.js';
import { mailboxesCommand } from './mailboxes-command.js';
import { addOptions, type CommonOptions, type OptionName, overridesOf } from './options.js';
import { reportCommand, rollbackCommand } from './state-commands.js';
import { statusCommand } from './status-command.js';
import { validateCommand } from './validate-command.js';

/** The flags of a command that sends: where to, and with which state. */
const TARGET: readonly OptionName[] = ['config', 'apiUrl', 'mailbox', 'state'];

/** Parses the command line, runs one command, and returns the process exit code (product.md). */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('hs-import')
    .description(
      'Migrate chat history exported as CSV into Help Scout: exactly once, resumable, at the rate limit.',
    )
    .version(packageVersion(), '--version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(add --help for the options)');

  const withConfig = (action: (config: ResolvedConfig, options: CommonOptions) => Promise<number>) => {
    return async (options: CommonOptions) => {
      exitCode = await guard(async () => action(loadConfig(options.config, overridesOf(options)), options));
    };
  };

  const command = (name: string, description: string, options: readonly OptionName[]) =>
    withHelp(addOptions(program.command(name).description(description), options));
  command('import', 'read, validate, stage, plan, send and report; resumes by itself', [
    ...TARGET,
    'source',
    'reportDir',
    'strategy',
    'concurrency',
    'rateLimit',
    'sample',
    'logLevel',
    'retryFailed',
  ]).action(withConfig(importCommand));
  command('validate', 'read, validate and plan without any network (--online: with reads); prints the plan', [
    'config',
    'source',
    'state',
    'strategy',
    'rateLimit',
    'sample',
    'online',
    'apiUrl',
    'mailbox',
  ]).action(withConfig(async (config, options) => validateCommand(config, options.online === true)));
  command('status', 'what the state file says: percent, ETA, failures, who runs it', [
    'config',
    'state',
    'conversations',
    'json',
  ]).action(withConfig(async (config, options) => statusCommand(config, options)));
  command('report', '(re)write the report files from the state file', [
    'config',
    'state',
    'reportDir',
    'apiUrl',
    'links',
  ]).action(withConfig(async (config, options) => reportCommand(config, options.links === true)));
  command('rollback', 'delete in Help Scout every conversation this state file created', [
    'config',
    'state',
    'apiUrl',
    'yes',
  ]).action(withConfig(async (config, options) => rollbackCommand(config, options.yes === true)));
  command('mailboxes', "list the account's mailboxes with their ids", [
    'config',
    'apiUrl',
    'state',
    'json',
    'logLevel',
  ]).action(withConfig(async (config, options) => mailboxesCommand(config, options.json === true)));
  withHelp(emulatorCommand(program)).action(async (options) => {
    exitCode = await guard(() => runEmulatorCommand(options));
  });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.fatal;
    throw error;
  }
  return exitCode;
}

/** Run-fatal errors become one clear line and exit code 1; nothing else is swallowed. */
async function guard(action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof HsImportError) {
      process.stderr.write(`hs-import: ${error.message}\n`);
      return EXIT.fatal;
    }
    throw error;
  }
}

async function importCommand(config: ResolvedConfig, options: CommonOptions): Promise<number> {
  mailboxIdOf(config);
  // Before the log opens in it and before anything is staged or sent.
  checkReportDir(config.reportDir);
  const log = createLogger(config.logLevel, join(config.reportDir, 'run.log'));
  const openEndpoint = apiEndpointOf(config, readCredentials(), log);
  const store = StateStore.open(config.state);
  const stop = new AbortController();
  // On a terminal the progress line has no newline yet: a message must start a line of its own.
  const own = process.stderr.isTTY ? '\n' : '';
  const onSignal = (signal: string) => {
    if (stop.signal.aborted) {
      // Second signal: stop at once. What was in flight is in doubt, and the next run resolves it.
      process.stderr.write(`${own}hs-import: ${signal} again, stopping now\n`);
      process.exit(EXIT.stopped);
    }
    process.stderr.write(`${own}hs-import: ${signal}: finishing what is in flight (again to stop at once)\n`);
    stop.abort(new Error(signal));
  };
  // Kept until the process ends: a second signal while the run winds down must still mean "stop at once",
  // never the default that kills without a word.
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  try {
    store.acquireLock();
    try {
      const summary = await runImport({
        config,
        store,
        openEndpoint,
        clock: systemClock,
        log,
        stop: stop.signal,
        retryFailed: options.retryFailed === true,
      });
      process.stdout.write(`${formatSummary(summary, config.reportDir)}\n`);
      return exitCodeOf(summary.outcome);
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
      process.stderr.write(
        'hs-import: stopped while reading the export; nothing was sent or kept from this run\n',
      );
      return EXIT.stopped;
    }
  } finally {
    store.close();
    log.flush();
  }
}
