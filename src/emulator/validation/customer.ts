import { API_LIMITS, GENDERS, PHOTO_TYPES } from '../../api/api-types.js';
import type { AuditRecorder } from '../audit.js';
import { emailsOf, type Store } from '../store.js';
import type { StoredCustomer } from '../types.js';
import { given, isObject, type Problems, readId, readOptionalEnum, readOptionalString } from './problems.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type CustomerFields = Omit<StoredCustomer, 'id' | 'email' | 'createdAt'>;

/**
 * Resolves `customer` objects of one request by the seed document's rules: `id` wins over `email`; an unknown
 * email creates the customer with the optional fields; a matched customer ignores them. New customers are only
 * collected here; they are created when the request commits.
 */
export class CustomerResolver {
  readonly newCustomers: StoredCustomer[] = [];

  /**
   * `otherPrimaryEmail`: a new customer's primary email is `primary.<sent>` and the sent one a further
   * address, as when Help Scout already knew the person by another address.
   */
  constructor(
    private readonly store: Store,
    private readonly now: string,
    private readonly otherPrimaryEmail = false,
  ) {}

  /** Notes, once committed, the new customers whose primary email is not the one sent. */
  auditNew(audit: AuditRecorder): void {
    for (const c of this.newCustomers) {
      const sent = c.emails?.[0];
      if (sent && c.email) audit.note('primaryEmailChanged', { customerId: c.id, sent, primary: c.email });
    }
  }

  resolve(p: Problems, path: string, v: unknown): number | undefined {
    if (!isObject(v)) {
      p.add(path, 'must be an object with an id or an email', v ?? null);
      return undefined;
    }
    // Field rules are bean validation: they apply whether or not the customer is matched.
    const fields = readCustomerFields(p, path, v);
    if (given(v.id)) {
      const id = readId(v.id);
      if (id === undefined) p.add(`${path}.id`, 'must be a number', v.id);
      else if (!this.store.customers.has(id)) p.add(`${path}.id`, 'customer not found', v.id);
      return id;
    }
    if (given(v.email)) {
      if (typeof v.email !== 'string' || !EMAIL.test(v.email)) {
        p.add(`${path}.email`, 'not a well-formed email address', v.email);
        return undefined;
      }
      const sent = v.email.toLowerCase();
      const known =
        this.store.customerByEmail(v.email) ??
        this.newCustomers.find((c) => emailsOf(c).some((e) => e.toLowerCase() === sent));
      if (known) return known.id;
      const created: StoredCustomer = {
        id: this.store.allocate('customer'),
        ...(this.otherPrimaryEmail ? { email: `primary.${v.email}`, emails: [v.email] } : { email: v.email }),
        ...fields,
        createdAt: this.now,
      };
      this.newCustomers.push(created);
      return created.id;
    }
    p.add(path, 'must contain a customer id or an email', v);
    return undefined;
  }
}

function readCustomerFields(p: Problems, path: string, v: Record<string, unknown>): CustomerFields {
  const str = (key: string, range: { min?: number; max?: number } = {}) =>
    readOptionalString(p, `${path}.${key}`, v[key], range);
  const fields: CustomerFields = {
    firstName: str('firstName', { min: 1, max: API_LIMITS.nameMax }),
    lastName: str('lastName', { min: 1, max: API_LIMITS.nameMax }),
    phone: str('phone'),
    photoUrl: str('photoUrl', { max: API_LIMITS.photoUrlMax }),
    jobTitle: str('jobTitle', { max: API_LIMITS.jobTitleMax }),
    photoType: readOptionalEnum(p, `${path}.photoType`, v.photoType, PHOTO_TYPES),
    background: str('background', { max: API_LIMITS.backgroundMax }),
    location: str('location', { max: API_LIMITS.locationMax }),
    organization: str('organization', { max: API_LIMITS.organizationMax }),
    gender: readOptionalEnum(p, `${path}.gender`, v.gender, GENDERS),
    age: str('age'),
  };
  for (const key of Object.keys(fields) as (keyof CustomerFields)[]) {
    if (fields[key] === undefined) delete fields[key];
  }
  return fields;
}
