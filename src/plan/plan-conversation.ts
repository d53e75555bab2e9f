import type { ConversationStatus, CustomerRef } from '../api/api-types.js';
import { API_LIMITS } from '../api/api-types.js';
import { estimateEnvelopeBytes } from '../api/request-size.js';
import { compareThreads, type Orderable } from './order.js';
import { conversationProfile, type ProfileSource } from './profile.js';
import { type PartSlice, type Strategy, splitIntoParts } from './split.js';
import { subjectFor } from './subject.js';

export interface PlanThread extends Orderable, ProfileSource {
  id: number;
  bytes: number;
}

/** What Create Conversation needs beyond the threads: the same for every part but the subject. */
export interface PartEnvelope {
  subject: string;
  customer: CustomerRef;
  tags: string[];
  status: ConversationStatus;
  /** The rows named no customer: `customer` is source.customerFallback's (counted in the summary). */
  customerFallback?: true;
}

export interface PlannedPart {
  partNo: number;
  envelope: PartEnvelope;
  threadIds: number[];
  /** How many of `threadIds` (from the start) go inline in Create Conversation. */
  inline: number;
  /** The first thread goes inline without its attachments; they are uploaded after the create. */
  deferFirstAttachments: boolean;
}

/** The last part already sent to Help Scout, which new threads may still join. */
export interface StartedPart {
  id: number;
  partNo: number;
  threadCount: number;
  /** The newest createdAt among the conversation's threads already in its parts. */
  lastCreatedAt: string | null;
}

export interface PlanOptions {
  strategy: Strategy;
  maxRequestBytes: number;
  status: ConversationStatus;
  tags: readonly string[];
  subjectTemplate: string;
  partSubjectTemplate: string;
  /** The customer of a conversation whose rows name none ("{conversationId}" replaced), if any. */
  customerFallback?: string | undefined;
}

export type ConversationPlan =
  | { kind: 'rejected'; reason: string; field: string }
  | {
      kind: 'planned';
      append?: { partId: number; threadIds: number[] };
      parts: PlannedPart[];
      /**
       * New threads older than what the conversation already has in Help Scout (a cut-over export that
       * filled a gap): they keep their exact times but come after, in thread order, what was sent before.
       */
      olderThanSent: number;
    };

/**
 * Plans the unsent threads of one conversation. With nothing sent yet, the whole conversation is split into
 * parts. With parts already in Help Scout, new threads join the last one while it has room under the append
 * cap (99), and the rest become new parts numbered after it. Pure: no I/O, no clock.
 */
export function planConversation(
  conversationId: string,
  unsent: readonly PlanThread[],
  lastStarted: StartedPart | undefined,
  allThreads: readonly PlanThread[],
  options: PlanOptions,
): ConversationPlan {
  const all = [...allThreads].sort(compareThreads);
  // Usually every thread is unsent: the same threads sort the same, so the one sort serves both.
  const ordered = sameThreads(unsent, allThreads) ? all : [...unsent].sort(compareThreads);
  const profile = conversationProfile(all);
  const fallback = profile.customer ? undefined : fallbackCustomer(conversationId, options.customerFallback);
  if (fallback) profile.customer = fallback;
  if (!profile.customer) {
    return {
      kind: 'rejected',
      field: 'customer_email',
      reason: `conversation ${conversationId} has no customer_id or customer_email on any of its rows`,
    };
  }
  let rest = ordered;
  let append: { partId: number; threadIds: number[] } | undefined;
  if (lastStarted) {
    const room = Math.max(0, API_LIMITS.appendCapThreads - lastStarted.threadCount);
    if (room > 0 && rest.length > 0) {
      append = { partId: lastStarted.id, threadIds: rest.slice(0, room).map((t) => t.id) };
      rest = rest.slice(room);
    }
  }
  const firstPartNo = (lastStarted?.partNo ?? 0) + 1;
  const tags = unique([...options.tags, ...profile.tags]);
  const status = profile.status ?? options.status;
  const customer = profile.customer;
  const envelopeBytes = estimateEnvelopeBytes({ customer, tags });
  const slices: PartSlice<PlanThread>[] = splitIntoParts(rest, {
    strategy: options.strategy,
    maxRequestBytes: options.maxRequestBytes,
    envelopeBytes,
  });
  const totalParts = firstPartNo - 1 + slices.length;
  const first = all[0] as PlanThread;
  const parts = slices.map((slice, index) => {
    const partNo = firstPartNo + index;
    return {
      partNo,
      inline: slice.inline,
      deferFirstAttachments: slice.deferFirstAttachments,
      threadIds: slice.threads.map((t) => t.id),
      envelope: {
        subject: subjectFor({
          subject: profile.subject,
          conversationId,
          customerLabel: customerLabel(customer),
          firstCreatedAt: first.createdAt,
          part: partNo,
          parts: totalParts,
          subjectTemplate: options.subjectTemplate,
          partSubjectTemplate: options.partSubjectTemplate,
        }),
        customer,
        tags,
        status,
        ...(fallback ? { customerFallback: true as const } : {}),
      },
    };
  });
  const newest = lastStarted?.lastCreatedAt;
  const olderThanSent = newest ? ordered.filter((t) => t.createdAt < newest).length : 0;
  return append
    ? { kind: 'planned', append, parts, olderThanSent }
    : { kind: 'planned', parts, olderThanSent };
}

/**
 * source.customerFallback for one conversation: "{conversationId}" becomes the conversation's id, lowercased,
 * with anything an address's local part can't hold made a dash (e.g. "Visitor 42" → "visitor-42").
 */
function fallbackCustomer(conversationId: string, template: string | undefined): CustomerRef | undefined {
  if (!template) return undefined;
  const local = conversationId
    .toLowerCase()
    .replace(/[^a-z0-9._+-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  return { email: template.replaceAll('{conversationId}', local || 'conversation') };
}

function sameThreads(a: readonly PlanThread[], b: readonly PlanThread[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function customerLabel(customer: CustomerRef): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return name || customer.email || `customer ${customer.id}`;
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
