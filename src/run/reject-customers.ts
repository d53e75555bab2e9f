import type { CustomerRef } from '../api/api-types.js';
import { compareThreads } from '../plan/order.js';
import { conversationProfile, type ProfileSource } from '../plan/profile.js';
import { CUSTOMER_COLUMNS, type CustomerColumn } from '../source/customer.js';
import type { CustomerFills } from '../state/customer-fills.js';
import { conversationProfileRows, rejectCellsUpdater } from '../state/rejects.js';
import type { StateStore } from '../state/store.js';

/**
 * Writes into each rejected row that names no customer the customer its conversation's staged rows name
 * (an export often names the customer on the first row only): fixed and fed back alone, the row is then
 * not rejected again for having none. Only empty cells are filled. In the staging transaction, once every
 * row is staged.
 */
export function fillRejectedCustomers(store: StateStore, fills: CustomerFills): number {
  const rowsOf = conversationProfileRows(store);
  const cellsOf = store.prepare('SELECT raw_json, headers_json FROM rejects WHERE id = ?');
  const update = rejectCellsUpdater(store);
  const customers = new Map<string, CustomerRef | undefined>();
  let filled = 0;
  for (const { id, conversationId, headers } of fills.entries()) {
    if (!customers.has(conversationId)) customers.set(conversationId, customerOf(rowsOf(conversationId)));
    const customer = customers.get(conversationId);
    if (customer === undefined) continue;
    const stored = cellsOf.get(id) as { raw_json: string; headers_json: string };
    const raw = JSON.parse(stored.raw_json) as Record<string, string>;
    const rowHeaders = JSON.parse(stored.headers_json) as string[];
    let changed = false;
    for (const [column, header] of Object.entries(headers) as [CustomerColumn, string][]) {
      const value = customer[CUSTOMER_COLUMNS[column]];
      if (value === undefined || (raw[header] ?? '').trim() !== '') continue;
      raw[header] = String(value);
      if (!rowHeaders.includes(header)) rowHeaders.push(header);
      changed = true;
    }
    if (!changed) continue;
    update(id, raw, rowHeaders);
    filled += 1;
  }
  return filled;
}

/** The customer as planning will take it: the first row naming one in date order (conversationProfile). */
function customerOf(rows: ReturnType<ReturnType<typeof conversationProfileRows>>): CustomerRef | undefined {
  if (rows.length === 0) return undefined;
  const sources = rows.sort(compareThreads).map((row) => JSON.parse(row.profileJson) as ProfileSource);
  return conversationProfile(sources).customer;
}
