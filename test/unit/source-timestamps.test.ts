import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimestamp } from '../../src/source/index.js';
import { mulberry32 } from '../../src/util/prng.js';

function utc(value: string, timezone = 'UTC'): string {
  const result = parseTimestamp(value, timezone);
  assert.ok(result.ok, `${value}: ${result.ok ? '' : result.reason}`);
  return result.value;
}
function reason(value: string, timezone = 'UTC'): string {
  const result = parseTimestamp(value, timezone);
  assert.ok(!result.ok, `${value} should be refused`);
  return result.reason;
}

test('Z and offsets in every accepted spelling', () => {
  assert.equal(utc('2024-03-05T14:07:09Z'), '2024-03-05T14:07:09Z');
  assert.equal(utc('2024-03-05T14:07:09+02:00'), '2024-03-05T12:07:09Z');
  assert.equal(utc('2024-03-05T14:07:09+0200'), '2024-03-05T12:07:09Z');
  assert.equal(utc('2024-03-05 14:07:09-05:00'), '2024-03-05T19:07:09Z');
  assert.equal(utc('2024-03-05T14:07:09+05:45'), '2024-03-05T08:22:09Z');
  assert.equal(utc('2024-03-05T14:07+01:00'), '2024-03-05T13:07:00Z', 'seconds are optional');
  assert.equal(utc('2024-01-01T01:00:00+02:00'), '2023-12-31T23:00:00Z', 'the date rolls back too');
});

test('a time already in UTC comes out as written, whichever way it says so, as the Date path prints it', () => {
  const spellings = [
    '2024-02-29T23:59:59Z',
    '2024-02-29t23:59:59.999z',
    '2024-02-29 23:59:59+00:00',
    '2024-02-29T23:59:59-00:00',
    '2024-02-29T23:59:59+0000',
    '2024-02-29T23:59:59+00',
  ];
  for (const spelling of spellings) assert.equal(utc(spelling), '2024-02-29T23:59:59Z', spelling);
  assert.equal(utc('2024-02-29 23:59:59'), '2024-02-29T23:59:59Z', 'no zone, read in UTC');
  assert.equal(utc('2024-01-15 10:00', 'Europe/London'), '2024-01-15T10:00:00Z', 'a zone at +00:00 then');
  assert.equal(utc('0001-01-01T00:00Z'), '0001-01-01T00:00:00Z', 'the first year the API can take');
  assert.match(reason('0000-12-31T23:59:59Z'), /out of range/);
  // The same instants through an offset (the Date path) agree to the second.
  assert.equal(utc('2024-03-01T01:59:59+02:00'), utc('2024-02-29T23:59:59Z'));
  assert.equal(utc('0001-01-01T01:00+01:00'), '0001-01-01T00:00:00Z');
});

test('the common spelling, read without the regular expression, agrees with the general reading', () => {
  const random = mulberry32(7);
  const two = (n: number) => String(n).padStart(2, '0');
  for (let n = 0; n < 3000; n++) {
    // Some impossible on purpose: month 13, day 31 in a short month, hour 24, second 60, year 0.
    const year = String(Math.floor(random() * 2100)).padStart(4, '0');
    const value = `${year}-${two(1 + Math.floor(random() * 13))}-${two(1 + Math.floor(random() * 31))}T${two(
      Math.floor(random() * 25),
    )}:${two(Math.floor(random() * 60))}:${two(Math.floor(random() * 61))}${random() < 0.5 ? '' : '.123'}Z`;
    // A space instead of the T takes the general path.
    const general = parseTimestamp(value.replace('T', ' '), 'UTC');
    const common = parseTimestamp(value, 'UTC');
    assert.equal(common.ok, general.ok, value);
    if (common.ok && general.ok) assert.equal(common.value, general.value, value);
  }
});

test('fractions of any length are truncated, never rounded', () => {
  assert.equal(utc('2024-03-05T14:07:09.999Z'), '2024-03-05T14:07:09Z');
  assert.equal(utc('2022-10-05 15:38:40.369865'), '2022-10-05T15:38:40Z');
  assert.equal(utc('2024-03-05T14:07:09.5+01:00'), '2024-03-05T13:07:09Z');
  assert.equal(utc('2024-12-31T23:59:59.999999999Z'), '2024-12-31T23:59:59Z');
});

test('naive times are read in the configured zone, with its summer and winter offsets', () => {
  assert.equal(utc('2024-01-15 10:00:00', 'Europe/Paris'), '2024-01-15T09:00:00Z');
  assert.equal(utc('2024-07-15 10:00:00', 'Europe/Paris'), '2024-07-15T08:00:00Z');
  assert.equal(utc('2024-07-15T10:00:00', 'America/New_York'), '2024-07-15T14:00:00Z');
  assert.equal(utc('2024-07-15T10:00:00', 'Asia/Kathmandu'), '2024-07-15T04:15:00Z');
  assert.equal(utc('2024-07-15T10:00:00Z', 'Europe/Paris'), '2024-07-15T10:00:00Z', 'an explicit zone wins');
});

test('around DST changes: a repeated time takes its first occurrence, a skipped one moves forward', () => {
  // Paris, 2024-10-27: 02:00–03:00 happens twice (+02:00, then +01:00).
  assert.equal(utc('2024-10-27 02:30:00', 'Europe/Paris'), '2024-10-27T00:30:00Z');
  assert.equal(utc('2024-10-27 03:30:00', 'Europe/Paris'), '2024-10-27T02:30:00Z');
  assert.equal(utc('2024-10-27 01:59:59', 'Europe/Paris'), '2024-10-26T23:59:59Z');
  // Paris, 2024-03-31: 02:00–03:00 does not exist; it is read with the offset before the change (+01:00).
  assert.equal(utc('2024-03-31 02:30:00', 'Europe/Paris'), '2024-03-31T01:30:00Z');
  assert.equal(utc('2024-03-31 03:00:00', 'Europe/Paris'), '2024-03-31T01:00:00Z');
  assert.equal(utc('2024-03-31 01:59:00', 'Europe/Paris'), '2024-03-31T00:59:00Z');
  // New York, 2024-11-03 01:30 happens twice: first at -04:00.
  assert.equal(utc('2024-11-03 01:30:00', 'America/New_York'), '2024-11-03T05:30:00Z');
});

test('impossible or unparseable values are refused with a reason', () => {
  assert.match(reason('2023-02-30T10:00:00Z'), /not a calendar date/);
  assert.match(reason('2023-02-29 10:00:00'), /not a calendar date/);
  assert.equal(utc('2024-02-29 10:00:00'), '2024-02-29T10:00:00Z', 'leap day');
  assert.match(reason('2024-13-01T10:00:00Z'), /not a calendar date/);
  assert.match(reason('2024-01-01T24:00:00Z'), /time of day/);
  assert.match(reason('2024-01-01T10:60:00Z'), /time of day/);
  assert.match(reason('2024-01-01T10:00:00+25:00'), /offset/);
  assert.match(reason('05/03/2024 14:07'), /not an ISO 8601/);
  assert.match(reason('2024-01-01'), /not an ISO 8601/);
  assert.match(reason('yesterday'), /not an ISO 8601/);
  assert.match(reason('2024-01-01T10:00:00', 'Nowhere/Land'), /unknown time zone/);
});
