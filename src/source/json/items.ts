import type { CanonicalColumn } from '../../config/schema.js';
import { isFileUrl, splitList, type UrlFiles, urlAttachment } from '../attachments.js';
import { CUSTOMER_COLUMNS, type FieldProblem } from '../customer.js';
import type { RoleResolver } from '../roles.js';
import { buildRow, type RowRules } from '../row-builder.js';
import {
  type AttachmentRef,
  type CustomerFill,
  type RejectedRow,
  type RowPosition,
  type SourceItem,
  TEXT_FORMAT_CELL,
  type ThreadRow,
} from '../types.js';
import { whereOf } from './fields.js';
import { decodeEntities, sanitizeHtml } from './html.js';
import { readPath } from './path.js';
import type { JsonRecord } from './records.js';
import { type CompiledShape, type JsonMessage, messagesOfRecord } from './shape.js';
import { jsonTime } from './time.js';

/** `field` of a reject about a whole record (not JSON, or of no known shape). */
export const WHOLE_RECORD_FIELD = '(record)';

export interface JsonReadPlan {
  shapes: CompiledShape[];
  /**
   * A row's cells: the canonical columns the shapes read, in canonical order, so rejects.csv is a CSV that the
   * default mapping reads back.
   */
  rawHeaders: readonly CanonicalColumn[];
  resolveRole: RoleResolver;
  /** The row rules for plain and for HTML text. */
  rules: { plain: RowRules; html: RowRules };
  clean(cell: string): string;
  /** A message no request could carry (see read-source.ts). */
  sizeProblem(row: ThreadRow): FieldProblem | undefined;
  /** `source.attachments`: files named by URL are kept, to be downloaded at send time. */
  urlFiles: UrlFiles;
}

/**
 * A message's files: a JSON export names them by URL (Zendesk's `content_url`). Without `fetch` they are left
 * out, as they always were; an entry that is no URL is a problem (a JSON source has no folder of files).
 */
function filesOf(cell: string | undefined, urls: UrlFiles): AttachmentRef[] | string {
  const refs: AttachmentRef[] = [];
  for (const entry of splitList(cell)) {
    if (!isFileUrl(entry)) return `"${entry}" is not a URL: a JSON export's files are downloaded by URL`;
    if (!urls.fetch) continue;
    const ref = urlAttachment(entry, urls);
    if ('reason' in ref) return ref.reason;
    refs.push(ref);
  }
  return refs;
}

/**
 * A message's cells as rejects.csv shows them: its text as it would be sent (entities decoded, HTML
 * sanitised), and for HTML a `text_format` cell, which a rejects.csv fed back reads (csv-source.ts).
 */
function rawOf(
  headers: readonly CanonicalColumn[],
  message: JsonMessage | undefined,
  html = false,
): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const column of headers) raw[column] = message?.values[column] ?? '';
  if (html) raw[TEXT_FORMAT_CELL] = 'html';
  return raw;
}

/** A JSON row's cells are read back under their canonical names: each customer column under its own. */
const CUSTOMER_HEADERS = Object.fromEntries(
  Object.keys(CUSTOMER_COLUMNS).map((column) => [column, column]),
) as CustomerFill['headers'];

function rejectOf(pos: RowPosition, field: string, reason: string, raw: Record<string, string>): SourceItem {
  const reject: RejectedRow = { pos, field, reason, raw, headers: Object.keys(raw) };
  const conversationId = raw.conversation_id;
  if (conversationId) reject.customerFill = { conversationId, headers: CUSTOMER_HEADERS };
  return { kind: 'reject', reject };
}

/** Every message of one record as a row or a reject, in the record's order; `nextSeq` numbers them. */
export function itemsOfRecord(
  plan: JsonReadPlan,
  file: string,
  record: JsonRecord,
  nextSeq: () => number,
): SourceItem[] {
  const position = (): RowPosition => ({ file, row: record.row, line: record.line, seq: nextSeq() });
  if (record.invalid) {
    return [
      rejectOf(position(), WHOLE_RECORD_FIELD, `not JSON: ${record.invalid.reason}`, {
        [WHOLE_RECORD_FIELD]: record.invalid.text,
      }),
    ];
  }
  const value = record.value;
  const scope = { item: value, record: value };
  const shape = plan.shapes.find((candidate) => candidate.when(scope));
  const whole = (reason: string): SourceItem[] => [
    rejectOf(position(), WHOLE_RECORD_FIELD, reason, {
      [WHOLE_RECORD_FIELD]: JSON.stringify(value).slice(0, 10_000),
    }),
  ];
  if (shape === undefined)
    return whole('the record matches none of the shapes (source.shapes, or the preset)');
  let inner = value;
  let at = record.at;
  if (shape.record !== undefined) {
    inner = readPath(scope, shape.record);
    at = `${at}.${shape.record.keys.join('.')}`;
    if (inner === null || typeof inner !== 'object') return whole(`${at} is not an object`);
  }
  const items: SourceItem[] = [];
  for (const message of messagesOfRecord(shape, inner, at, plan.clean)) {
    if ('problem' in message) {
      items.push(rejectOf(position(), message.at, message.problem, rawOf(plan.rawHeaders, undefined)));
      continue;
    }
    items.push(itemOfMessage(plan, shape, message, position()));
  }
  return items;
}

function itemOfMessage(
  plan: JsonReadPlan,
  shape: CompiledShape,
  message: JsonMessage,
  pos: RowPosition,
): SourceItem {
  const { values } = message;
  if (values.created_at !== undefined) values.created_at = jsonTime(values.created_at) ?? values.created_at;
  if (values.text !== undefined) {
    values.text = shape.html
      ? sanitizeHtml(values.text).trim()
      : shape.entities
        ? decodeEntities(values.text)
        : values.text;
    if (values.text === '') delete values.text;
  }
  let role = message.role;
  if (role === undefined) {
    const resolved = plan.resolveRole(values.author_role);
    if (!resolved.ok) {
      return rejectOf(
        pos,
        whereOf(message, 'author_role') ?? 'author_role',
        resolved.reason,
        rawOf(plan.rawHeaders, message, shape.html),
      );
    }
    role = resolved.role;
  }
  values.author_role = role;
  if (values.status !== undefined)
    values.status = shape.statuses.get(values.status.toLowerCase()) ?? values.status;
  if (shape.customerFromAuthor && role === 'customer' && values.author_email !== undefined)
    values.customer_email ??= values.author_email;
  const raw = rawOf(plan.rawHeaders, message, shape.html);
  const core = buildRow(values, shape.html ? plan.rules.html : plan.rules.plain);
  if ('reason' in core) {
    const field = whereOf(message, core.field as CanonicalColumn) ?? `${message.at} (${core.field})`;
    return rejectOf(pos, field, core.reason, raw);
  }
  const files = filesOf(values.attachments, plan.urlFiles);
  if (typeof files === 'string')
    return rejectOf(pos, whereOf(message, 'attachments') ?? 'attachments', files, raw);
  const row = core as ThreadRow;
  row.pos = pos;
  row.attachments = files;
  row.raw = raw;
  const problem = plan.sizeProblem(row);
  return problem ? rejectOf(pos, message.at, problem.reason, raw) : { kind: 'row', row };
}
