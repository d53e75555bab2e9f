import { isEmptyObject } from '../util/objects.js';
import type { BoundColumns } from './column-map.js';
import type { ReadPlan } from './csv-source.js';
import { isCustomerColumn } from './customer.js';
import type { RowRules } from './row-builder.js';
import { type CustomerFill, TEXT_FORMAT_CELL } from './types.js';

/* What a CSV row carries so that, rejected, fixed and fed back as a source, it is read as it was meant. */

/**
 * Where a rejected row's customer can be filled in: its conversation and its customer columns' headers. Not
 * for a row with a field too many or too few: its cells stand under the wrong headers, and a value filled in
 * would move with them when the row is mended.
 */
export function customerFillOf(
  plan: ReadPlan,
  bound: BoundColumns,
  fields: string[],
): CustomerFill | undefined {
  if (fields.length !== bound.headers.length) return undefined;
  let conversationId: string | undefined;
  const headers: CustomerFill['headers'] = {};
  for (const [column, index] of bound.canonical) {
    if (column === 'conversation_id') conversationId = plan.clean(fields[index] ?? '');
    else if (isCustomerColumn(column)) headers[column] = bound.headers[index] as string;
  }
  if (!conversationId || isEmptyObject(headers)) return undefined;
  return { conversationId, headers };
}

/** A rejects.csv fed back says which of its rows hold HTML (a JSON source's HTML bodies). */
export function rulesOf(plan: ReadPlan, bound: BoundColumns, fields: string[]): RowRules {
  if (!bound.isReport || plan.rules.textFormat === 'html') return plan.rules;
  const at = bound.headers.indexOf(TEXT_FORMAT_CELL);
  return at !== -1 && fields[at]?.trim() === 'html' ? { ...plan.rules, textFormat: 'html' } : plan.rules;
}
