import { toApiDate } from '../../api/api-types.js';

const EPOCH = /^\d{9,}(?:\.\d+)?$/;
/** Epoch values above this are milliseconds (this many seconds is the year 5138). */
const MILLIS_FROM = 1e11;
/** RFC 2822 (`Tue, 05 Mar 2024 14:07:09 +0000`) and kin: a month name, which ISO 8601 never has. */
const MONTH_NAME = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

function fromEpoch(seconds: number): string | undefined {
  const date = new Date(Math.floor(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : toApiDate(date);
}

/**
 * A JSON time as a string the source's timestamp parser takes: epoch seconds or milliseconds (a number, or a
 * string with an optional fraction) and RFC 2822 become `yyyy-MM-ddTHH:mm:ssZ`; anything else (ISO 8601) is
 * passed on as it is, to be parsed (or refused) with the CSV path's rules.
 */
export function jsonTime(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return fromEpoch(value >= MILLIS_FROM ? value / 1000 : value);
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (EPOCH.test(text)) {
    const number = Number(text);
    return fromEpoch(number >= MILLIS_FROM ? number / 1000 : number);
  }
  if (MONTH_NAME.test(text)) {
    const millis = Date.parse(text);
    if (!Number.isNaN(millis)) return toApiDate(new Date(millis - (millis % 1000)));
  }
  return text;
}
