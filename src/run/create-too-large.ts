import { estimateEnvelopeBytes } from '../api/request-size.js';
import type { PartEnvelope } from '../plan/plan-conversation.js';
import { splitIntoParts } from '../plan/split.js';
import type { PartRecord, PartThread } from '../state/parts.js';
import type { SendContext } from './send-context.js';
import { filesToSend } from './thread-files.js';

/** How a part refused as too large is created next time: fewer threads inline, or its first without files. */
export interface SmallerCreate {
  inline: number;
  firstWithoutFiles: boolean;
}

/**
 * The next try after a 413 on Create Conversation, or undefined when nothing is left to take out (one
 * thread, without files). Help Scout does not say its limit, and it may be below the planner's: the inline
 * threads are cut to what fits in half the bytes just refused (by the planner's own estimate), so a limit
 * far below it is found in a few refusals, each of which did nothing.
 */
export function smallerCreate(
  envelope: PartEnvelope,
  inline: readonly PartThread[],
): SmallerCreate | undefined {
  if (inline.length > 1) {
    const envelopeBytes = estimateEnvelopeBytes(envelope);
    const refused = inline.reduce((bytes, t) => bytes + t.bytes + 1, envelopeBytes);
    const slice = splitIntoParts(inline, {
      strategy: 'batch',
      maxRequestBytes: Math.floor(refused / 2),
      envelopeBytes,
    })[0];
    return { inline: Math.max(1, Math.min(inline.length - 1, slice?.inline ?? 1)), firstWithoutFiles: false };
  }
  const first = inline[0];
  if (first && !first.attachmentsLater && filesToSend(first.row).length > 0)
    return { inline: 1, firstWithoutFiles: true };
  return undefined;
}

/**
 * Records the 413 and, in the same transaction, the part planned again smaller: the threads taken out of the
 * create are appended after it (a 100th thread then meets the append cap, 412, and opens a continuation part
 * as any append does). The refused create did nothing, so the part's threads are all still unsent and the
 * smaller create is just the part's next write: each thread still goes once. A kill before this commit leaves
 * the refused write open; it is read back as not created, sent as it was, refused again, and planned again.
 */
export function planSmaller(
  ctx: SendContext,
  part: PartRecord,
  /** The part's threads not yet sent, in order. */
  threads: readonly PartThread[],
  refused: { writeId: number; message: string },
  smaller: SmallerCreate,
): void {
  const was = threads.filter((t) => t.inline).length;
  const resolution = smaller.firstWithoutFiles
    ? 'planned again: its first thread without its files, which follow'
    : `planned again: ${smaller.inline} of ${was} threads inline, the rest appended`;
  // A first thread planned without its files (too large for any create) stays so.
  const firstWithoutFiles = smaller.firstWithoutFiles || (threads[0]?.attachmentsLater ?? false);
  ctx.writes.finish(
    refused.writeId,
    { kind: 'refused', status: 413, error: refused.message, resolution },
    () =>
      ctx.parts.setInline(
        threads.map((t) => t.id),
        smaller.inline,
        firstWithoutFiles,
      ),
  );
  ctx.stats.plannedAgain += 1;
  ctx.log.warn({
    event: 'part.planned-again',
    conversation: part.conversationKey,
    part: part.partNo,
    inline: smaller.inline,
    was,
    firstWithoutFiles: smaller.firstWithoutFiles,
    error: refused.message,
  });
}
