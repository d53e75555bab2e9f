import type { ConversationStatus, CustomerRef } from '../api/api-types.js';

/** What a conversation's rows say about the conversation as a whole. */
export interface ConversationProfile {
  subject?: string;
  customer?: CustomerRef;
  tags: string[];
  status?: ConversationStatus;
}

export interface ProfileSource {
  subject?: string | undefined;
  customer: CustomerRef;
  tags: string[];
  status?: ConversationStatus | undefined;
}

const OPTIONAL_CUSTOMER_FIELDS = [
  'firstName',
  'lastName',
  'phone',
  'photoUrl',
  'jobTitle',
  'photoType',
  'background',
  'location',
  'organization',
  'gender',
  'age',
] as const;

/**
 * Per-conversation values are the first non-empty ones in date order (product.md). The customer is the first
 * row's with an id or email; its optional fields are each the first non-empty one of a row naming the same
 * customer, so a later row can't mix another person's name into it. `rows` must be in thread order.
 */
export function conversationProfile(rows: readonly ProfileSource[]): ConversationProfile {
  const profile: ConversationProfile = { tags: [] };
  for (const row of rows) {
    if (profile.subject === undefined && row.subject) profile.subject = row.subject;
    if (profile.status === undefined && row.status) profile.status = row.status;
    if (profile.tags.length === 0 && row.tags.length > 0) profile.tags = [...row.tags];
    if (profile.customer === undefined && (row.customer.id !== undefined || row.customer.email)) {
      profile.customer = identityOf(row.customer);
    }
  }
  const customer = profile.customer;
  if (customer) {
    for (const row of rows) {
      if (!hasOptionalField(row.customer) || !sameCustomer(customer, row.customer)) continue;
      for (const field of OPTIONAL_CUSTOMER_FIELDS) {
        const value = row.customer[field];
        if (customer[field] === undefined && value) customer[field] = value;
      }
    }
  }
  return profile;
}

/** Most rows name only the customer's id or email: no need to look for each optional field in them. */
function hasOptionalField(customer: CustomerRef): boolean {
  for (const key in customer) if (key !== 'id' && key !== 'email') return true;
  return false;
}

function identityOf(customer: CustomerRef): CustomerRef {
  // The API: an id wins over the email; with an id the other fields are ignored anyway.
  return customer.id !== undefined ? { id: customer.id } : { email: customer.email as string };
}

function sameCustomer(identity: CustomerRef, candidate: CustomerRef): boolean {
  if (identity.id !== undefined) return false;
  const hasIdentity = candidate.id !== undefined || candidate.email;
  if (!hasIdentity) return true;
  return candidate.id === undefined && candidate.email?.toLowerCase() === identity.email?.toLowerCase();
}
