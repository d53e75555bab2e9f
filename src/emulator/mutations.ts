import type {
  StoredAttachment,
  StoredConversation,
  StoredCustomer,
  StoredTag,
  StoredThread,
} from './types.js';

/**
 * Every change to the emulator's state, fully resolved (ids, times): applying the same list again, as the
 * journal does on start, gives the same state without consulting the clock.
 */
export type Mutation =
  | {
      op: 'createConversation';
      newCustomers: StoredCustomer[];
      newTags: StoredTag[];
      conversation: StoredConversation;
    }
  | {
      op: 'addThread';
      conversationId: number;
      newCustomers: StoredCustomer[];
      thread: StoredThread;
      modifiedAt: string;
      status?: StoredConversation['status'];
      closedAt?: string;
    }
  | {
      op: 'addAttachment';
      conversationId: number;
      threadId: number;
      attachment: StoredAttachment;
      modifiedAt: string;
    }
  | { op: 'setTags'; conversationId: number; tags: string[]; newTags: StoredTag[]; modifiedAt: string }
  /** `keepAsDeleted`: still readable and listed, with `state: deleted` (option `listDeleted`). */
  | { op: 'deleteConversation'; conversationId: number; keepAsDeleted?: boolean }
  | { op: 'merge'; from: number; into: number; modifiedAt: string };
