import type { SeedConversation, SeedMailbox, SeedThread, SeedUser } from '../../src/emulator/index.js';

/** The recorded resources, as far as seeding reads them (markers already replaced by numbers). */

export interface PersonRef {
  id: number;
  type?: string;
  first: string;
  last: string;
  email: string;
  photoUrl?: string;
}

export interface RecordedThread {
  id: number;
  type: SeedThread['type'];
  body: string;
  createdAt: string;
  openedAt?: string;
  savedReplyId?: number;
  action?: { type: string };
  source?: { type: string; via: 'customer' | 'user' };
  customer: PersonRef;
  createdBy: PersonRef & { type: 'customer' | 'user' };
  assignedTo?: PersonRef;
  _embedded?: { attachments?: { id: number; filename: string; mimeType: string; size: number }[] };
}

export interface RecordedConversation {
  id: number;
  number: number;
  threads: number;
  type: SeedConversation['type'];
  folderId: number;
  status: SeedConversation['status'];
  subject: string;
  preview: string;
  mailboxId: number;
  assignee?: PersonRef;
  createdBy: PersonRef & { type: 'customer' | 'user' };
  createdAt: string;
  closedBy: number;
  closedAt?: string;
  userUpdatedAt: string;
  customerWaitingSince: { time: string; friendly: string };
  source: { type: string; via: 'customer' | 'user' };
  tags: { id: number; color: string; tag: string }[];
  primaryCustomer: PersonRef;
}

export interface RecordedCustomer {
  id: number;
  firstName?: string;
  lastName?: string;
  gender?: string;
  jobTitle?: string;
  location?: string;
  organization?: string;
  photoType?: string;
  photoUrl?: string;
  age?: string;
  background?: string;
  createdAt: string;
  updatedAt: string;
  _embedded: {
    emails: { id: number; value: string }[];
    websites: { id: number; value: string }[];
    social_profiles: { id: number; value: string; type: string }[];
  };
}

export type RecordedUser = Required<Pick<SeedUser, 'id' | 'firstName' | 'lastName' | 'email'>> &
  Pick<SeedUser, 'role' | 'type' | 'timezone' | 'photoUrl' | 'createdAt' | 'updatedAt'>;

export type RecordedMailbox = Required<SeedMailbox>;
