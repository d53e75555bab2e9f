import type { Command } from 'commander';

/** What every command's `--help` ends with: the numbers a script relies on. */
const EXIT_CODES = `Exit codes:
  0    done, nothing left
  1    nothing done: bad config, flag or credentials, or a run-fatal error (the message says which)
  2    partial: rows rejected, threads failed, or writes left (run again to resume)
  130  stopped by Ctrl-C or SIGTERM (run the same command again to resume)`;

const ENVIRONMENT = `Environment:
  HELPSCOUT_ACCESS_TOKEN                     a token (a personal one, or from your OAuth app)
  HELPSCOUT_APP_ID, HELPSCOUT_APP_SECRET     or an OAuth app's id and secret (client credentials)
  NO_COLOR                                   no colour in the output
  (a .env file in the working folder fills what the environment lacks)`;

/** Two examples per command: the usual call, and the one people look for next. */
const EXAMPLES: Record<string, readonly [string, string]> = {
  import: [
    'hs-import import --config my.config.json --sample 20     # a rehearsal of 20 conversations',
    'hs-import import --config my.config.json --log-level debug   # every request in the log',
  ],
  validate: [
    'hs-import validate --config my.config.json',
    'hs-import validate --config my.config.json --online   # also the credentials, mailbox, customer ids',
  ],
  status: ['hs-import status --config my.config.json', 'hs-import status --json | jq .percent'],
  report: [
    'hs-import report --config my.config.json',
    'hs-import report --config my.config.json --links    # numbers and web links in mapping.csv',
  ],
  rollback: [
    'hs-import rollback --config my.config.json          # asks before deleting',
    'hs-import rollback --config my.config.json --yes    # in a script',
  ],
  mailboxes: [
    'hs-import mailboxes                          # with HELPSCOUT_ACCESS_TOKEN set',
    'hs-import mailboxes --api-url embedded       # the demo emulator',
  ],
  emulator: ['hs-import emulator --port 8080', 'hs-import emulator --profile pessimistic'],
};

/** Adds examples, exit codes and environment to a command's `--help`. */
export function withHelp(command: Command): Command {
  const examples = EXAMPLES[command.name()] ?? [];
  const text = ['', 'Examples:', ...examples.map((e) => `  ${e}`), '', EXIT_CODES, '', ENVIRONMENT];
  return command.addHelpText('after', text.join('\n'));
}
