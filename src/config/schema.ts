import { z } from 'zod';
import { CONVERSATION_STATUSES } from '../api/api-types.js';
import { jsonShapeSchema } from './json-shape-schema.js';
import { AUTHOR_ROLES, CANONICAL_COLUMNS, PRESETS, SOURCE_FORMATS } from './vocabulary.js';

export * from './json-shape-schema.js';
export * from './vocabulary.js';

/**
 * The one place where the config's shape and defaults live. `import.config.json` is validated against it,
 * `schema/import.config.schema.json` is generated from it, and flags/env override the parsed result.
 */

const columnMapping = z
  .partialRecord(z.enum(CANONICAL_COLUMNS), z.string().min(1))
  .describe('Canonical column name → the header used in the export.');

export const sourceSchema = z
  .strictObject({
    files: z
      .array(z.string().min(1))
      .default([])
      .describe('Export files, relative to the config file. Rows of one conversation may span files.'),
    format: z
      .enum(SOURCE_FORMATS)
      .default('auto')
      .describe(
        'csv: rows as `columns` maps them. json: an array, or an object with the array at `records`, or one object. jsonl: a record a line. mbox: mail folders (e.g. Google Takeout), a conversation per thread, agents known by source.agentAddresses. auto: by the start of the first file (mbox) or of each file.',
      ),
    preset: z
      .enum(PRESETS)
      .optional()
      .describe(
        "Fills `columns`/`roles` (CSV) or `shapes` (JSON) for a known platform's export. Absent: recognised by the header or the first record's keys.",
      ),
    records: z
      .string()
      .min(1)
      .optional()
      .describe('JSON: dotted path of the record array inside the top-level object, e.g. "tickets".'),
    shapes: z
      .array(jsonShapeSchema)
      .optional()
      .describe('JSON: how records map to messages; the first shape whose `when` matches a record reads it.'),
    columns: columnMapping.default({}),
    roles: z
      .record(z.string(), z.enum(AUTHOR_ROLES))
      .default({})
      .describe('Source role words (case-insensitive) → customer, agent, note or system.'),
    timezone: z
      .string()
      .default('UTC')
      .describe('IANA zone for timestamps that carry no offset, e.g. "Europe/Paris".'),
    textFormat: z.enum(['plain', 'html']).default('plain'),
    delimiter: z.string().min(1).max(1).default(','),
    encoding: z.enum(['utf8', 'latin1']).default('utf8'),
    dateRange: z
      .strictObject({
        from: z.string().min(1).optional(),
        to: z.string().min(1).optional(),
      })
      .optional()
      .describe(
        'Dates a row may carry (e.g. {"from": "1970-01-01", "to": "2100-01-01"}); a row outside is rejected. Default: from 1990-01-01 to a day after now.',
      ),
    repairMojibake: z
      .boolean()
      .default(false)
      .describe(
        'Repair text that was UTF-8 read as Latin-1 and saved again ("Ã©" → "é"): a value is changed only when it decodes back to valid UTF-8.',
      ),
    agentAddresses: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Emails (or "@domain") of the agents, for exports without a role column (the gorgias preset): a line whose sender matches is an agent line, any other a customer line.',
      ),
    unknownAgents: z
      .enum(['as-owner-with-name', 'note'])
      .default('as-owner-with-name')
      .describe(
        'An agent line whose author is no Help Scout user: sent as the token\'s owner with "Name: " at the head of the text, or as a note with the same.',
      ),
    attachments: z
      .strictObject({
        fetch: z
          .boolean()
          .default(false)
          .describe(
            'Download the attachments the export names by URL (http(s)://…) when their thread is sent. Off: such an entry rejects its row.',
          ),
        allowHosts: z
          .array(z.string().min(1))
          .default([])
          .describe(
            'Hosts files may be downloaded from: exact names, or "*.example.com" for its subdomains. https only (http for loopback).',
          ),
        onMissing: z
          .enum(['fail', 'link'])
          .default('fail')
          .describe(
            'A file that cannot be downloaded: fail its thread with the reason, or send the thread with a link to the file in its text.',
          ),
      })
      .optional()
      .describe('Attachments named by URL in the export. Absent: such an entry rejects its row.'),
    customerFallback: z
      .string()
      .refine((t) => z.email().safeParse(t.replaceAll('{conversationId}', 'c1')).success, {
        message: 'must be an email address, "{conversationId}" standing for the conversation\'s id',
      })
      .optional()
      .describe(
        'The customer of a conversation whose rows name none (anonymous visitors), instead of rejecting it: a fixed address, or e.g. "{conversationId}@visitors.invalid" for one customer per conversation.',
      ),
  })
  .describe('Where the export is and how to read it.');

export const targetSchema = z
  .strictObject({
    apiUrl: z
      .string()
      .default('https://api.helpscout.net/v2/')
      .describe('Base URL of the Mailbox API v2, or "embedded" for the in-process emulator.'),
    mailboxId: z.number().int().positive().optional(),
    status: z.enum(CONVERSATION_STATUSES).default('closed').describe('Status of the imported conversations.'),
    tags: z
      .array(z.string().min(1))
      .default(['hs-import'])
      .describe('Tags put on every imported conversation; the first also finds them again on read-back.'),
    assignTo: z
      .union([z.number().int().positive(), z.email(), z.null()])
      .default(null)
      .describe(
        "Who the imported conversations are assigned to: a Help Scout user id or email; null (default): nobody, so history stays out of agents' queues.",
      ),
    agentLines: z
      .enum(['reply', 'note'])
      .default('reply')
      .describe('How agent lines are sent: replies from the matching Help Scout user, or notes.'),
    subjectTemplate: z
      .string()
      .default('Chat with {customer} on {date}')
      .describe('Subject for a conversation without one. {customer}, {date}, {conversation}.'),
    partSubjectTemplate: z
      .string()
      .default('{subject} (part {part} of {parts})')
      .describe('Subject of each part of a split conversation. {subject}, {part}, {parts}.'),
    maxRequestBytes: z
      .number()
      .int()
      .min(16 * 1024)
      .default(250_000)
      .describe(
        'Largest Create Conversation body; threads that do not fit inline are appended. Help Scout says "256 kB": 250,000 is below either reading.',
      ),
    maxThreadRequestBytes: z
      .number()
      .int()
      .min(16 * 1024)
      .default(10 * 1024 * 1024)
      .describe(
        'Largest body sent to a thread endpoint: an appended thread whose files would pass it goes without them, and its files follow one by one. A 413 from Help Scout (which may keep the old 100 KB there) does the same for that thread.',
      ),
  })
  .describe('The Help Scout side.');

export const reconcileSchema = z
  .strictObject({
    searchRetries: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('Read-backs of an in-doubt create, one after another, before it waits (resendAfterSeconds).'),
    searchDelayMs: z
      .number()
      .int()
      .min(0)
      .default(2000)
      .describe('Wait between those read-backs (doubles each time).'),
    resendAfterSeconds: z
      .number()
      .int()
      .min(0)
      .default(600)
      .describe(
        'A create in doubt that read-backs do not find is sent again only once this long has passed since it was first sent (lists may lag creation by minutes); until then it waits, and other conversations go on.',
      ),
  })
  .describe('How an in-doubt write is resolved by reading Help Scout back.');

export const retrySchema = z
  .strictObject({
    retries: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe('Retries of a read, or of a request that provably never left.'),
    minDelayMs: z.number().int().min(0).default(500),
    maxDelayMs: z.number().int().min(0).default(30_000),
  })
  .describe('Backoff with jitter between retries (5xx, network errors). A 429 waits as told and uses none.');

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    source: sourceSchema.default(sourceSchema.parse({})),
    target: targetSchema.default(targetSchema.parse({})),
    rateLimit: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("The account's rate limit in points a minute; default: read from the API's headers."),
    concurrency: z.number().int().min(1).max(64).default(8).describe('Conversations sent at once, at most.'),
    strategy: z
      .enum(['batch', 'per-thread'])
      .default('batch')
      .describe('batch: threads inline in Create Conversation; per-thread: one write per thread.'),
    state: z.string().default('.hs-import/state.sqlite').describe('The state file (SQLite).'),
    reportDir: z.string().default('hs-import-report'),
    sample: z.number().int().positive().optional().describe('Only the first N conversations.'),
    requestTimeoutMs: z.number().int().positive().default(30_000),
    throttleTimeoutMinutes: z
      .number()
      .positive()
      .default(15)
      .describe('Stop the run (exit 1) after this long with every request refused by 429.'),
    reconcile: reconcileSchema.default(reconcileSchema.parse({})),
    retry: retrySchema.default(retrySchema.parse({})),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .describe('hs-import configuration (import.config.json).');

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = Config['source'];
export type TargetConfig = Config['target'];
