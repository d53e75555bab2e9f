import { toApiDate } from '../api/api-types.js';
import { DAY_MS, parseTimestamp } from './timestamps.js';

/** The dates a row may carry, as API strings (which compare as they sort). */
export interface DateRange {
  from: string;
  to: string;
}

/** Before this, a date is surely a mistake (an epoch 0, a two-digit year): no chat platform is older. */
export const DEFAULT_EARLIEST = '1990-01-01T00:00:00Z';
/** How far past now a date may be: clocks and zones differ by less. */
const FUTURE_SLACK_MS = DAY_MS;

/** A bound of source.dateRange: a date (midnight UTC) or a date-time. */
function parseBound(value: string): string | undefined {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value;
  const parsed = parseTimestamp(text, 'UTC');
  return parsed.ok ? parsed.value : undefined;
}

/** source.dateRange with its defaults (1990 to a day after `now`), or the bound that is not a date. */
export function resolveDateRange(
  range: { from?: string | undefined; to?: string | undefined } | undefined,
  now: number,
): DateRange | { bad: string } {
  const from = range?.from === undefined ? DEFAULT_EARLIEST : parseBound(range.from);
  if (from === undefined) return { bad: `from "${range?.from}"` };
  const to = range?.to === undefined ? toApiDate(new Date(now + FUTURE_SLACK_MS)) : parseBound(range.to);
  if (to === undefined) return { bad: `to "${range?.to}"` };
  return { from, to };
}

/** Why a date (an API string) is outside the range, or undefined. */
export function outOfRange(value: string, range: DateRange): string | undefined {
  if (value < range.from)
    return `${value} is before ${range.from}: a wrong date? (source.dateRange.from allows older ones)`;
  if (value > range.to)
    return `${value} is after ${range.to}, in the future: a wrong date? (source.dateRange.to allows later ones)`;
  return undefined;
}
