import path from 'node:path';
import PostalMime, { type Email } from 'postal-mime';
import { API_LIMITS } from '../../api/api-types.js';
import { estimateThreadBytes, mayExceedBytes } from '../../api/request-size.js';
import type { SourceConfig } from '../../config/schema.js';
import { FatalError } from '../../util/errors.js';
import type { FieldProblem } from '../customer.js';
import { createAgentMatcher, createRoleResolver } from '../roles.js';
import { buildRow, type RowRules } from '../row-builder.js';
import { isKnownTimeZone } from '../timestamps.js';
import type { RowPosition, SourceItem, ThreadRow } from '../types.js';
import { adoptBareTextPart } from './body-text.js';
import { type MessageContext, messageValues } from './message-values.js';
import { saveAttachments } from './save-attachments.js';
import { separatorDate } from './separator-date.js';
import { type RawMessage, splitMbox } from './split-mbox.js';
import { ConversationKeys, messageIdOf, messageIdsIn } from './threading.js';

/** `field` of a reject about the whole message (it could not be parsed at all). */
export const WHOLE_MESSAGE_FIELD = '(message)';
/** What rejects.csv shows of a message: its separator line and the headers that identify it. */
const RAW_HEADERS = ['From_', 'Message-ID', 'Date', 'From', 'Subject'];
const CHUNK = 64;

export interface MboxReadOptions {
  baseDir: string;
  /** Where the messages' files are written (beside the state file), to be read at send time. */
  attachmentsDir: string;
}

interface MboxPlan {
  isAgentAddress: (email: string | undefined) => boolean;
  rules: { plain: RowRules; html: RowRules };
  timezone: string;
}

function planMbox(config: SourceConfig): MboxPlan {
  if (config.files.length === 0)
    throw new FatalError('SOURCE_BAD_CONFIG', 'source.files is empty: there is nothing to import');
  if (!isKnownTimeZone(config.timezone))
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      `source.timezone "${config.timezone}" is not an IANA time zone`,
      {
        timezone: config.timezone,
      },
    );
  if (config.preset !== undefined)
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      `source.preset "${config.preset}" is for CSV exports, not mbox`,
    );
  const matcher = createAgentMatcher(config.agentAddresses ?? []);
  if (matcher === null)
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      'an mbox has no roles: list the agents\' emails (or "@yourdomain") in source.agentAddresses, so their messages are told from the customers\'',
    );
  const resolveRole = createRoleResolver({});
  const rules = (textFormat: 'plain' | 'html'): RowRules => ({
    timezone: config.timezone,
    textFormat,
    resolveRole,
  });
  return {
    isAgentAddress: matcher,
    rules: { plain: rules('plain'), html: rules('html') },
    timezone: config.timezone,
  };
}

function headerValue(email: Email, key: string): string | undefined {
  return email.headers.find((header) => header.key === key)?.value;
}

function rawOf(message: RawMessage, email: Email | undefined): Record<string, string> {
  const raw: Record<string, string> = { From_: message.separator };
  if (email === undefined) return raw;
  for (const name of RAW_HEADERS.slice(1)) {
    const value = headerValue(email, name.toLowerCase());
    if (value !== undefined) raw[name] = value;
  }
  return raw;
}

/**
 * Streams every message of every mbox file (in the order given) as a ThreadRow or a RejectedRow, like the CSV
 * reader: `row` is the message's number in its file, `line` the line of its `From ` separator.
 */
export async function* readMboxChunks(
  config: SourceConfig,
  options: MboxReadOptions,
): AsyncGenerator<SourceItem[]> {
  const plan = planMbox(config);
  const keys = new ConversationKeys();
  let seq = 0;
  for (const file of config.files) {
    let items: SourceItem[] = [];
    for await (const message of splitMbox(path.resolve(options.baseDir, file), file)) {
      const pos = { file, row: message.index, line: message.line, seq: seq++ };
      items.push(await readMessage(plan, keys, message, pos, options.attachmentsDir));
      if (items.length >= CHUNK) {
        yield items;
        items = [];
      }
    }
    if (items.length > 0) yield items;
  }
}

async function readMessage(
  plan: MboxPlan,
  keys: ConversationKeys,
  message: RawMessage,
  pos: RowPosition,
  attachmentsDir: string,
): Promise<SourceItem> {
  let email: Email | undefined;
  const reject = (problem: FieldProblem): SourceItem => ({
    kind: 'reject',
    reject: { pos, ...problem, raw: rawOf(message, email), headers: RAW_HEADERS },
  });
  const where = `message ${message.index} (line ${message.line})`;
  try {
    email = adoptBareTextPart(await PostalMime.parse(message.bytes));
  } catch (error) {
    return reject({
      field: WHOLE_MESSAGE_FIELD,
      reason: `${where} cannot be parsed: ${(error as Error).message}`,
    });
  }
  const messageId = messageIdOf(headerValue(email, 'message-id'));
  if (messageId !== undefined && keys.has(messageId))
    return reject({ field: 'Message-ID', reason: `${where} repeats an earlier message's id <${messageId}>` });
  const context: MessageContext = {
    conversationId: keys.assign(
      {
        gmailThreadId: headerValue(email, 'x-gm-thrid')?.trim(),
        messageId,
        references: messageIdsIn(headerValue(email, 'references')),
        inReplyTo: messageIdsIn(headerValue(email, 'in-reply-to'))[0],
      },
      `${pos.file}#${message.index}`,
    ),
    messageId,
    isAgentAddress: plan.isAgentAddress,
    separatorDate: separatorDate(message.separator),
    timezone: plan.timezone,
  };
  const read = messageValues(email, context);
  if (!('values' in read)) return reject(read);
  const core = buildRow(read.values, plan.rules[read.textFormat]);
  if ('reason' in core) return reject(core);
  let attachments: ThreadRow['attachments'];
  try {
    attachments = await saveAttachments(
      attachmentsDir,
      `${pos.file} message ${message.index}`,
      email.attachments,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FatalError(
      'SOURCE_ATTACHMENTS_UNWRITABLE',
      `${attachmentsDir}: cannot write the files of ${pos.file} ${where} (${code})`,
      { dir: attachmentsDir, code },
      { cause: error },
    );
  }
  const row: ThreadRow = { ...core, pos, attachments, raw: rawOf(message, email) };
  const problem = sizeProblem(row);
  return problem ? reject(problem) : { kind: 'row', row };
}

/** A message no Help Scout request could carry (the same rule as the CSV reader's). */
function sizeProblem(row: ThreadRow): FieldProblem | undefined {
  const limit = API_LIMITS.requestBytes;
  if (!mayExceedBytes(row, limit)) return undefined;
  const bytes = estimateThreadBytes(row);
  if (bytes <= limit) return undefined;
  return {
    field: 'attachments',
    reason: `the message with its attachments needs ${Math.ceil(bytes / 1024)} KiB, more than the ${limit / 1024 / 1024} MiB a Help Scout request accepts`,
  };
}
