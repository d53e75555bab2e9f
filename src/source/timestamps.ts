import { toApiDate } from '../api/api-types.js';

/**
 * Export timestamps → the API's `yyyy-MM-ddTHH:mm:ssZ`.
 *
 * Accepted: `2024-03-05T14:07:09Z`, `…+02:00`, `…+0200`, `…+02`, a space instead of `T`, seconds optional,
 * fractional seconds of any length (truncated, never rounded: rounding could move a line past the next one).
 * A time without zone is wall-clock time in the configured IANA zone. A local time that happens twice (clocks
 * going back) or never (clocks going forward) takes the offset in force *before* the change, as Temporal's
 * "compatible" rule does: the first of two occurrences; a skipped time is moved forward by the gap.
 */

export type TimestampResult = { ok: true; value: string } | { ok: false; reason: string };

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const MAX_CACHED_MINUTES = 50_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Date.UTC maps years 0–99 to 1900–1999; this does not. */
function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  return date.getTime();
}

/** Offsets of one zone, from one cached formatter (building an Intl formatter per row is slow). */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  /** Wall-clock minute → chosen UTC offset (ms), bounded: chat exports cluster in time. */
  private readonly byLocalMinute = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  }

  /** Offset (ms) of the zone at a UTC instant. */
  offsetAt(instant: number): number {
    const whole = Math.floor(instant / 1000) * 1000;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.format.formatToParts(whole)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          bc = part.value.startsWith('B');
          break;
      }
    }
    if (bc) year = 1 - year;
    return utcMillis(year, month, day, hour, minute, second) - whole;
  }

  /** Offset (ms) to apply to a wall-clock time (given as if it were UTC) in this zone. */
  offsetForLocal(localAsUtc: number): number {
    const minuteKey = Math.floor(localAsUtc / MINUTE_MS);
    const cached = this.byLocalMinute.get(minuteKey);
    if (cached !== undefined) return cached;
    const local = minuteKey * MINUTE_MS;
    // Zones change offset at most once a day, so the offsets a day before and after are the only candidates.
    const before = this.offsetAt(local - DAY_MS);
    const after = this.offsetAt(local + DAY_MS);
    let chosen = before;
    if (this.offsetAt(local - before) !== before && this.offsetAt(local - after) === after) chosen = after;
    if (this.byLocalMinute.size >= MAX_CACHED_MINUTES) this.byLocalMinute.clear();
    this.byLocalMinute.set(minuteKey, chosen);
    return chosen;
  }
}

const zones = new Map<string, ZoneOffsets | null>();

/** The zone's offset table, or null when the name is not an IANA zone this runtime knows. */
export function zoneOffsets(timeZone: string): ZoneOffsets | null {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    try {
      zone = new ZoneOffsets(timeZone);
    } catch {
      zone = null;
    }
    zones.set(timeZone, zone);
  }
  return zone;
}

export function isKnownTimeZone(timeZone: string): boolean {
  return zoneOffsets(timeZone) !== null;
}

/**
 * A time in UTC as the API takes it, from the digits read: what toApiDate would print, without a Date (the
 * common case, and a measurable share of reading a large export).
 */
function asWrittenInUtc(m: RegExpExecArray): TimestampResult {
  return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}Z` };
}

/** The value of `length` decimal digits from `at`, or -1 when one of them is not a digit. */
function digitsAt(value: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The common spelling, `yyyy-MM-ddTHH:mm:ss[.fff]Z`, read without the regular expression: the API's form is
 * its first 19 characters and a Z. Undefined for any other spelling, or an impossible date, which the general
 * path reads (or refuses with its reason).
 */
function canonicalUtc(value: string): TimestampResult | undefined {
  const last = value.length - 1;
  if (last < 19 || value.charCodeAt(last) !== 90 /* Z */) return undefined;
  if (value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':')
    return undefined;
  if (last > 19 && (value[19] !== '.' || last === 20 || digitsAt(value, 20, last - 20) < 0)) return undefined;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  // Already the API's form (no fraction): the value itself, not a copy.
  return { ok: true, value: last === 19 ? value : `${value.slice(0, 19)}Z` };
}

export function parseTimestamp(value: string, timezone: string): TimestampResult {
  const canonical = canonicalUtc(value);
  if (canonical) return canonical;
  const text = value.trim();
  const m = TIMESTAMP.exec(text);
  if (m === null) {
    return {
      ok: false,
      reason: `"${value}" is not an ISO 8601 date-time (expected e.g. 2024-03-05T14:07:09Z)`,
    };
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: `"${value}" is not a calendar date` };
  }
  if (hour > 23 || minute > 59 || second > 59)
    return { ok: false, reason: `"${value}" is not a valid time of day` };
  let offset: number | undefined;
  if (m[7] !== undefined) {
    offset = 0;
  } else if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
    if (offsetHours > 23 || offsetMinutes > 59)
      return { ok: false, reason: `"${value}" has an invalid UTC offset` };
    offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * MINUTE_MS;
  }
  if (offset === 0 && year >= 1) return asWrittenInUtc(m);
  const wall = utcMillis(year, month, day, hour, minute, second);
  if (offset === undefined) {
    const zone = zoneOffsets(timezone);
    if (zone === null) return { ok: false, reason: `unknown time zone "${timezone}"` };
    offset = zone.offsetForLocal(wall);
    if (offset === 0 && year >= 1) return asWrittenInUtc(m);
  }
  const instant = wall - offset;
  if (!Number.isFinite(instant)) return { ok: false, reason: `"${value}" is out of range` };
  const date = new Date(instant);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    return { ok: false, reason: `"${value}" is out of range` };
  }
  return { ok: true, value: toApiDate(date) };
}
