import type { Address, Email, Mailbox } from 'postal-mime';
import { API_LIMITS } from '../../api/api-types.js';
import { checkEmail, type FieldProblem, type RowValues } from '../customer.js';
import { parseTimestamp } from '../timestamps.js';
import { emailHtmlBody } from './body-text.js';

export interface MessageContext {
  conversationId: string;
  messageId: string | undefined;
  isAgentAddress: (email: string | undefined) => boolean;
  /** The `From ` separator line's date, for a message without a `Date` header. */
  separatorDate: string | undefined;
  timezone: string;
}

export interface MessageValues {
  values: RowValues;
  /** `html` when only an HTML part carried the text. */
  textFormat: 'plain' | 'html';
}

function mailboxes(addresses: Address[] | undefined): Mailbox[] {
  const list: Mailbox[] = [];
  for (const address of addresses ?? []) {
    if (address.group) list.push(...address.group);
    else if (address.address) list.push(address);
  }
  return list;
}

/** "Ada Lovelace" → first "Ada", last "Lovelace"; a name longer than the API takes is left out, not cut. */
function nameParts(name: string): { first_name?: string; last_name?: string } {
  const words = name.trim().replace(/^"|"$/g, '').split(/\s+/).filter(Boolean);
  if (words.length === 0 || name.includes('@')) return {};
  const last = words.length > 1 ? words.pop() : undefined;
  const first = words.join(' ');
  const fits = (value: string | undefined) => value === undefined || value.length <= API_LIMITS.nameMax;
  if (!fits(first) || !fits(last)) return {};
  return last === undefined ? { first_name: first } : { first_name: first, last_name: last };
}

function dateOf(email: Email, context: MessageContext): { created_at: string } | FieldProblem {
  // postal-mime gives ISO 8601 when the header parses, else the header as written.
  const written = email.date ?? context.separatorDate;
  if (written === undefined) return { field: 'Date', reason: 'the message has no Date header' };
  const parsed = parseTimestamp(written, context.timezone);
  if (parsed.ok) return { created_at: parsed.value };
  return { field: 'Date', reason: `"${written}" is not a date` };
}

/** The text Help Scout shows: the plain part (escaped later), else the HTML part, else the files' names. */
function textOf(email: Email): { text?: string; textFormat: 'plain' | 'html' } {
  const plain = email.text?.trim();
  if (plain) return { text: plain, textFormat: 'plain' };
  const html = email.html === undefined ? '' : emailHtmlBody(email.html);
  if (html) return { text: html, textFormat: 'html' };
  const names = email.attachments.map((file, n) => file.filename ?? `attachment ${n + 1}`);
  return names.length > 0
    ? { text: `(attached: ${names.join(', ')})`, textFormat: 'plain' }
    : { textFormat: 'plain' };
}

/**
 * A parsed message as the canonical values a CSV row would have: the sender decides the role (an agent
 * address or not), and the customer is the sender of a customer message, or the first recipient who is not an
 * agent of an agent's message.
 */
export function messageValues(email: Email, context: MessageContext): MessageValues | FieldProblem {
  // Without a From header, the Sender (or Reply-To) is who wrote it as near as the message tells.
  const [from] = mailboxes(
    [email.from, email.sender, ...(email.replyTo ?? [])].filter((a) => a !== undefined),
  );
  if (from === undefined)
    return { field: 'From', reason: 'the message has no sender address (no From, Sender or Reply-To)' };
  const date = dateOf(email, context);
  if (!('created_at' in date)) return date;
  const { text, textFormat } = textOf(email);
  if (text === undefined) return { field: 'text', reason: 'the message has no text and no attachment' };

  const isAgent = context.isAgentAddress(from.address);
  const values: RowValues = {
    conversation_id: context.conversationId,
    created_at: date.created_at,
    text,
    author_role: isAgent ? 'agent' : 'customer',
    author_email: from.address,
  };
  if (context.messageId !== undefined) values.thread_id = context.messageId;
  if (from.name.trim()) values.author_name = from.name.trim();
  const subject = email.subject?.trim();
  if (subject) values.subject = subject;

  const customer = isAgent
    ? mailboxes([...(email.to ?? []), ...(email.cc ?? [])]).find(
        (m) => !context.isAgentAddress(m.address) && checkEmail('customer_email', m.address) === undefined,
      )
    : from;
  if (customer) {
    values.customer_email = customer.address;
    Object.assign(values, nameParts(customer.name));
  }
  return { values, textFormat };
}
