import type { AuthorRole, CanonicalColumn, PresetName } from '../config/schema.js';
import type { FieldProblem, RowValues } from './customer.js';

/** Everything a row-level derivation may look at besides the mapped values. */
export interface DeriveContext {
  /** A source column the preset declared in `extraColumns` (trimmed; undefined when empty). */
  extra(header: string): string | undefined;
  /** Whether an address is one of `source.agentAddresses`. */
  isAgentAddress(email: string | undefined): boolean;
}

export interface Preset {
  /** Canonical → header. A preset's mapping is complete: canonical names it leaves out are not read. */
  columns: Partial<Record<CanonicalColumn, string>>;
  roles: Record<string, AuthorRole>;
  /** Headers read by `derive`; a file without them is refused. */
  extraColumns: readonly string[];
  /** The export has no role column: `source.agentAddresses` is the only way to tell agents apart. */
  needsAgentAddresses: boolean;
  /** Fills values the export only has in another shape. Never overrides a value already mapped. */
  derive?(values: RowValues, context: DeriveContext): FieldProblem | undefined;
}

/**
 * Tidio's message export. `THREAD_ID` is not mapped: it holds one constant for every row, so it is no message
 * id and must not break ties. `NAME` is an email or a visitor hash, not a person's name: it only names the
 * author. Bot greetings (`automation`) are system lines.
 */
const tidio: Preset = {
  columns: {
    conversation_id: 'CONVERSATION_ID',
    created_at: 'TIME_SENT',
    text: 'MESSAGE_CONTENT',
    author_role: 'SENDER',
    author_name: 'NAME',
    customer_email: 'EMAIL',
    first_name: 'FIRST_NAME',
    last_name: 'LAST_NAME',
    phone: 'PHONE',
  },
  roles: { visitor: 'customer', operator: 'agent', automation: 'system' },
  extraColumns: [],
  needsAgentAddresses: false,
};

/**
 * Gorgias' message export (`id,subject,body_text,sent_datetime,customer_id,sender_info`). Its `customer_id` is
 * a Gorgias id, not a Help Scout one, so it is not mapped. The author is only in `sender_info`, a JSON object
 * `{"name": …, "address": …}`: the address is an agent's when listed in `source.agentAddresses`, otherwise it
 * is the customer's email. Timestamps carry no zone (`source.timezone`) and sometimes microseconds.
 */
const gorgias: Preset = {
  columns: {
    conversation_id: 'id',
    subject: 'subject',
    text: 'body_text',
    created_at: 'sent_datetime',
  },
  roles: {},
  extraColumns: ['sender_info'],
  needsAgentAddresses: true,
  derive(values, context) {
    const raw = context.extra('sender_info');
    if (raw === undefined)
      return { field: 'sender_info', reason: 'empty: the author of the message is unknown' };
    let info: unknown;
    try {
      info = JSON.parse(raw);
    } catch {
      info = undefined;
    }
    if (typeof info !== 'object' || info === null) {
      return {
        field: 'sender_info',
        reason: 'not the JSON object {"name": …, "address": …} that Gorgias writes',
      };
    }
    const { name, address } = info as { name?: unknown; address?: unknown };
    const email = typeof address === 'string' && address.trim() !== '' ? address.trim() : undefined;
    if (typeof name === 'string' && name.trim() !== '') values.author_name ??= name.trim();
    if (email !== undefined) values.author_email ??= email;
    if (values.author_role === undefined)
      values.author_role = context.isAgentAddress(email) ? 'agent' : 'customer';
    if (values.author_role === 'customer' && email !== undefined) values.customer_email ??= email;
    return undefined;
  },
};

/**
 * Intercom conversations as third-party export tools write them: one row a message, its author's type in
 * `message_author_type` (user/lead/contact, admin/teammate, bot).
 */
const intercomCsv: Preset = {
  columns: {
    conversation_id: 'conversation_id',
    thread_id: 'message_id',
    created_at: 'message_created_at',
    text: 'message_body',
    author_role: 'message_author_type',
    author_email: 'message_author_email',
    author_name: 'message_author_name',
    customer_email: 'contact_email',
    subject: 'conversation_subject',
    tags: 'conversation_tags',
  },
  roles: {
    user: 'customer',
    lead: 'customer',
    contact: 'customer',
    admin: 'agent',
    teammate: 'agent',
    bot: 'system',
    note: 'note',
  },
  extraColumns: [],
  needsAgentAddresses: false,
};

export type CsvPresetName = Extract<PresetName, 'tidio' | 'gorgias' | 'intercom-csv'>;

export const PRESET_DEFINITIONS: Record<CsvPresetName, Preset> = {
  tidio,
  gorgias,
  'intercom-csv': intercomCsv,
};

export function isCsvPreset(name: string): name is CsvPresetName {
  return name in PRESET_DEFINITIONS;
}
