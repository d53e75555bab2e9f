import { API_DATE_PATTERN } from '../../api/api-types.js';
import type { FieldError } from '../api-error.js';

/** Collects every field error of a request, as Help Scout reports them all at once. */
export class Problems {
  readonly list: FieldError[] = [];

  add(path: string, message: string, rejectedValue?: unknown): void {
    this.list.push({ path, message, rejectedValue });
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when the key is present with a value; JSON `null` counts as absent, as with Jackson. */
export function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** An id: a JSON integer or a numeric string (the recordings send `mailboxId` as a string and it is accepted). */
export function readId(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

/** Booleans as Jackson reads them: JSON booleans and the strings "true"/"false". */
export function readBoolean(p: Problems, path: string, v: unknown): boolean {
  if (!given(v)) return false;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  p.add(path, 'must be a boolean', v);
  return false;
}

/** A required string: missing, blank or not a string is one error. */
export function readRequiredText(p: Problems, path: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') {
    p.add(path, 'may not be empty', v ?? null);
    return '';
  }
  return v;
}

/** An optional string with a length range in UTF-16 units (Java's `String.length()`). */
export function readOptionalString(
  p: Problems,
  path: string,
  v: unknown,
  range: { min?: number; max?: number } = {},
): string | undefined {
  if (!given(v)) return undefined;
  if (typeof v !== 'string') {
    p.add(path, 'must be a string', v);
    return undefined;
  }
  const min = range.min ?? 0;
  const max = range.max ?? Number.POSITIVE_INFINITY;
  if (v.length < min || v.length > max) {
    const bound = Number.isFinite(max) ? `between ${min} and ${max}` : `at least ${min}`;
    p.add(path, `length must be ${bound} characters`, v);
    return undefined;
  }
  return v;
}

export function readOptionalEnum<T extends string>(
  p: Problems,
  path: string,
  v: unknown,
  allowed: readonly T[],
): T | undefined {
  if (!given(v)) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    p.add(path, `must be one of: ${allowed.join(', ')}`, v);
    return undefined;
  }
  return v as T;
}

export function readRequiredEnum<T extends string>(
  p: Problems,
  path: string,
  v: unknown,
  allowed: readonly T[],
): T | undefined {
  if (!given(v)) {
    p.add(path, 'may not be null', null);
    return undefined;
  }
  return readOptionalEnum(p, path, v, allowed);
}

/** `yyyy-MM-ddTHH:mm:ssZ` exactly: milliseconds or offsets are a 400, as is an impossible date. */
export function readOptionalDate(p: Problems, path: string, v: unknown): string | undefined {
  if (!given(v)) return undefined;
  if (typeof v !== 'string' || !API_DATE_PATTERN.test(v) || !isRealDate(v)) {
    p.add(path, "must be a date in the format yyyy-MM-dd'T'HH:mm:ss'Z'", v);
    return undefined;
  }
  return v;
}

function isRealDate(v: string): boolean {
  const ms = Date.parse(v);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === v.slice(0, 19);
}
