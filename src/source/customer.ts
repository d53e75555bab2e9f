import { API_LIMITS, type CustomerRef, GENDERS, PHOTO_TYPES } from '../api/api-types.js';
import type { CanonicalColumn } from '../config/schema.js';

/** A row's values by canonical column: trimmed, and absent when the cell is empty. */
export type RowValues = Partial<Record<CanonicalColumn, string>>;

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Deliberately loose: one `@`, a dot in the domain, no spaces. The API is the judge of the rest. */
const PLAUSIBLE_EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const POSITIVE_INTEGER = /^[1-9]\d*$/;
const EMAIL_MAX = 254;
/** Digits with the usual separators, `+`, and an extension (`x12`, `ext. 12`): what a person would dial. */
const PLAUSIBLE_PHONE = /^(?=.*\d)[\d\s+\-().]+(?:\s*(?:x|ext\.?)\s*\d+)?$/i;
const PHONE_LENGTH = [3, 40] as const;
const PLAUSIBLE_AGE = /^\d{1,3}$/;

export function checkEmail(field: CanonicalColumn, value: string): FieldProblem | undefined {
  if (value.length > EMAIL_MAX || !PLAUSIBLE_EMAIL.test(value)) {
    return { field, reason: `"${value}" is not an email address` };
  }
  return undefined;
}

function checkLength(
  field: CanonicalColumn,
  value: string,
  min: number,
  max: number,
): FieldProblem | undefined {
  if (value.length < min || value.length > max) {
    return { field, reason: `must be ${min}–${max} characters (has ${value.length})` };
  }
  return undefined;
}

function checkEnum(field: CanonicalColumn, value: string, allowed: readonly string[]): FieldProblem | string {
  const lower = value.toLowerCase();
  if (!allowed.includes(lower)) return { field, reason: `"${value}" is not one of ${allowed.join(', ')}` };
  return lower;
}

const LENGTH_RULES: readonly (readonly [CanonicalColumn, keyof CustomerRef, number, number])[] = [
  ['first_name', 'firstName', 1, API_LIMITS.nameMax],
  ['last_name', 'lastName', 1, API_LIMITS.nameMax],
  ['job_title', 'jobTitle', 0, API_LIMITS.jobTitleMax],
  ['location', 'location', 0, API_LIMITS.locationMax],
  ['organization', 'organization', 0, API_LIMITS.organizationMax],
  ['photo_url', 'photoUrl', 0, API_LIMITS.photoUrlMax],
  ['background', 'background', 0, API_LIMITS.backgroundMax],
];

/** The customer fields of one row, checked against the API's rules; empty cells are simply not sent. */
export function readCustomer(values: RowValues): { customer: CustomerRef } | FieldProblem {
  const customer: CustomerRef = {};
  const id = values.customer_id;
  if (id !== undefined) {
    if (!POSITIVE_INTEGER.test(id) || !Number.isSafeInteger(Number(id))) {
      return { field: 'customer_id', reason: `"${id}" is not a positive integer (a Help Scout customer id)` };
    }
    customer.id = Number(id);
  }
  const email = values.customer_email;
  if (email !== undefined) {
    const problem = checkEmail('customer_email', email);
    if (problem) return problem;
    customer.email = email;
  }
  for (const [field, key, min, max] of LENGTH_RULES) {
    const value = values[field];
    if (value === undefined) continue;
    const problem = checkLength(field, value, min, max);
    if (problem) return problem;
    (customer as Record<string, string>)[key] = value;
  }
  if (values.phone !== undefined) {
    const phone = values.phone;
    if (phone.length < PHONE_LENGTH[0] || phone.length > PHONE_LENGTH[1] || !PLAUSIBLE_PHONE.test(phone)) {
      return {
        field: 'phone',
        reason: `"${phone}" is not a phone number (digits, spaces, + - ( ) . and an extension; 3–40 characters)`,
      };
    }
    customer.phone = phone;
  }
  if (values.age !== undefined) {
    if (!PLAUSIBLE_AGE.test(values.age))
      return { field: 'age', reason: `"${values.age}" is not an age (a number)` };
    customer.age = values.age;
  }
  if (values.photo_type !== undefined) {
    const photoType = checkEnum('photo_type', values.photo_type, PHOTO_TYPES);
    if (typeof photoType !== 'string') return photoType;
    customer.photoType = photoType;
  }
  if (values.gender !== undefined) {
    const gender = checkEnum('gender', values.gender, GENDERS);
    if (typeof gender !== 'string') return gender;
    customer.gender = gender;
  }
  return { customer };
}

/** The canonical columns that carry the customer, and the field of the customer each one fills. */
export const CUSTOMER_COLUMNS = {
  customer_id: 'id',
  customer_email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  phone: 'phone',
  photo_url: 'photoUrl',
  photo_type: 'photoType',
  job_title: 'jobTitle',
  location: 'location',
  organization: 'organization',
  background: 'background',
  gender: 'gender',
  age: 'age',
} as const satisfies Partial<Record<CanonicalColumn, keyof CustomerRef>>;

export type CustomerColumn = keyof typeof CUSTOMER_COLUMNS;

export function isCustomerColumn(column: string): column is CustomerColumn {
  return Object.hasOwn(CUSTOMER_COLUMNS, column);
}

/** The row says who the customer is (what conversationProfile looks for). */
export function namesCustomer(row: { customer: CustomerRef }): boolean {
  return row.customer.id !== undefined || row.customer.email !== undefined;
}
