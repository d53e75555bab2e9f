const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** `From sender Sun Aug  8 10:04:17 1999`, `… Wed Feb  9 22:02 MET 2000`, `… Wed Jul 03 10:00:00 +0000 2024`. */
const ASCTIME = /\b([A-Za-z]{3}) +(\d{1,2}) +(\d{1,2}):(\d{2})(?::(\d{2}))?(?: +(\S+))? +(\d{4})\s*$/;
const NUMERIC_ZONE = /^[+-]\d{4}$/;

const pad = (value: string | number) => String(value).padStart(2, '0');

/**
 * The date of an mbox `From ` separator line, as a timestamp the source's parser takes: the fallback for a
 * message without a `Date` header. A zone name ("MET") is not trusted, so such a time is read in
 * `source.timezone`; a numeric offset is kept.
 */
export function separatorDate(separator: string): string | undefined {
  const match = ASCTIME.exec(separator);
  if (!match) return undefined;
  const [, monthName, day, hour, minute, second, zone, year] = match;
  const month = MONTHS.indexOf((monthName as string).toLowerCase()) + 1;
  if (month === 0) return undefined;
  const offset = zone !== undefined && NUMERIC_ZONE.test(zone) ? zone : '';
  return `${year}-${pad(month)}-${pad(day as string)} ${pad(hour as string)}:${minute}:${second ?? '00'}${offset}`;
}
