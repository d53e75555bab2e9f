import type { ResolvedConfig } from '../config/load.js';
import { createLogger } from '../util/logger.js';
import { openCommandSession } from './api-endpoint.js';
import { EXIT } from './exit-codes.js';

/** `mailboxes`: the account's mailboxes and their ids, to fill `target.mailboxId` (or `--mailbox`). */
export async function mailboxesCommand(config: ResolvedConfig, json: boolean): Promise<number> {
  // No run log: this reads the account, it changes nothing; stderr still shows requests at debug.
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, undefined);
  const session = await openCommandSession(config, log);
  try {
    const mailboxes = [];
    for await (const m of session.client.listMailboxes()) mailboxes.push(m);
    if (json) {
      const rows = mailboxes.map((m) => ({ id: m.id, name: m.name, email: m.email ?? null }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT.ok;
    }
    if (mailboxes.length === 0) process.stdout.write('no mailboxes: the token sees none\n');
    for (const m of mailboxes) process.stdout.write(`${m.id}\t${m.name}${m.email ? `\t${m.email}` : ''}\n`);
    return EXIT.ok;
  } finally {
    await session.close();
    log.flush();
  }
}
