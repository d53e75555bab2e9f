import type { InlineThreadType, ThreadEndpoint } from './api-types.js';

/** A thread's type as Help Scout stores and lists it back: a reply reads back as `message`. */
export type StoredThreadType = 'chat' | 'customer' | 'message' | 'note' | 'phone';

/** The one table of how each inline thread type reads back. */
export const STORED_TYPE_OF_INLINE: Readonly<Record<InlineThreadType, StoredThreadType>> = {
  chat: 'chat',
  customer: 'customer',
  reply: 'message',
  note: 'note',
  phone: 'phone',
};

/** How a thread created through each endpoint reads back. */
export const STORED_TYPE_OF_ENDPOINT: Readonly<Record<ThreadEndpoint, StoredThreadType>> = {
  chats: 'chat',
  customer: 'customer',
  reply: 'message',
  notes: 'note',
  phones: 'phone',
};
