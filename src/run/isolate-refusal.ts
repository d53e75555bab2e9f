import { type FieldError, formatFieldErrors, inlineThreadOf } from '../api/field-errors.js';
import { estimateEnvelopeBytes } from '../api/request-size.js';
import type { ApiError } from '../helpscout/errors.js';
import { splitIntoParts } from '../plan/split.js';
import type { PartRecord, PartThread } from '../state/parts.js';
import type { SendContext } from './send-context.js';

/** How a Create Conversation refused with one thread and no field named is recorded: that thread failed. */
const REFUSED_ALONE = 'refused with one thread and no field named: the thread failed';

/** A thread left out of its conversation, and why. */
interface LeftOut {
  thread: PartThread;
  reason: string;
}

/**
 * A 400 on a Create Conversation: one bad message must not fail its siblings. A 400 did nothing, so the
 * part may be sent again, each attempt a write of its own in the log.
 * - Help Scout names threads (`threads[3].text`): those fail with the reason, the rest go again.
 * - It names none: the part goes again with the first half of its inline threads (the others are appended
 *   once the conversation exists, where a bad one is refused on its own), down to one thread; a thread
 *   refused alone fails, and the rest go again.
 * Returns undefined when the refusal is the conversation's own (a field of its own named, or a second
 * thread refused alone with no field named): the caller fails the part. Otherwise the refused write is
 * finished with what was decided, and 'again' (go over the part again) or 'failed' (nothing left).
 */
export function isolateRefusal(
  ctx: SendContext,
  part: PartRecord,
  writeId: number,
  error: ApiError,
  sent: readonly PartThread[],
  pending: readonly PartThread[],
): 'again' | 'failed' | undefined {
  if (error.status !== 400) return undefined;
  if (error.errors.some((e) => e.path)) {
    const named = new Map<number, FieldError[]>();
    for (const e of error.errors) {
      const inline = inlineThreadOf(e.path ?? '');
      // A field of the conversation (its customer, subject…): no thread can be left out to fix it.
      if (inline === undefined || sent[inline.index] === undefined) return undefined;
      named.set(inline.index, [...(named.get(inline.index) ?? []), { ...e, path: inline.field || e.path }]);
    }
    const bad = [...named].map(([index, errors]) => ({
      thread: sent[index] as PartThread,
      reason: `Help Scout refused this thread (400): ${formatFieldErrors(errors)}`,
    }));
    return leaveOut(ctx, part, writeId, error, bad, pending, `sent again without ${bad.length} refused`);
  }
  if (sent.length > 1) {
    const keep = Math.floor(sent.length / 2);
    const resolution = `no field named: sent again with its first ${keep} of ${sent.length} threads`;
    ctx.writes.finish(
      writeId,
      { kind: 'refused', status: 400, error: failedMessage(error), resolution },
      () =>
        ctx.parts.setInline(
          pending.map((t) => t.id),
          keep,
          (sent[0] as PartThread).attachmentsLater,
        ),
    );
    ctx.log.info({
      event: 'conversation.split',
      conversation: part.conversationKey,
      part: part.partNo,
      keep,
    });
    return 'again';
  }
  // Refused alone a second time: the conversation itself is refused (or most of its threads), not one of them.
  if (ctx.writes.settledAs(part.id, 'create-conversation', REFUSED_ALONE)) return undefined;
  const reason = `Help Scout refused this thread (400): ${error.message}`;
  return leaveOut(
    ctx,
    part,
    writeId,
    error,
    [{ thread: sent[0] as PartThread, reason }],
    pending,
    REFUSED_ALONE,
  );
}

/**
 * Fails `bad` and leaves the rest of the part to go again. When none of the rest is inline any more, as many
 * as fit go inline now (as planning would place them).
 */
function leaveOut(
  ctx: SendContext,
  part: PartRecord,
  writeId: number,
  error: ApiError,
  bad: readonly LeftOut[],
  pending: readonly PartThread[],
  resolution: string,
): 'again' | 'failed' {
  const badIds = new Set(bad.map((b) => b.thread.id));
  const rest = pending.filter((t) => !badIds.has(t.id));
  const slice = rest.some((t) => t.inline)
    ? undefined
    : splitIntoParts(rest, {
        strategy: ctx.strategy,
        maxRequestBytes: ctx.target.maxRequestBytes,
        envelopeBytes: estimateEnvelopeBytes(part.envelope),
      })[0];
  ctx.writes.finish(
    writeId,
    { kind: 'refused', status: 400, error: failedMessage(error), resolution },
    () => {
      for (const b of bad) ctx.parts.threadsFailed([b.thread.id], b.reason);
      // No longer part of the create: sent again later (retry-failed.ts), it is appended.
      ctx.parts.setInline([...badIds], 0, false);
      if (slice)
        ctx.parts.setInline(
          rest.map((t) => t.id),
          slice.inline,
          slice.deferFirstAttachments,
        );
    },
  );
  ctx.stats.threadsFailed += bad.length;
  for (const b of bad) {
    ctx.log.warn({
      event: 'thread.failed',
      conversation: part.conversationKey,
      thread: b.thread.id,
      status: 400,
      error: b.reason,
    });
  }
  return rest.length > 0 ? 'again' : 'failed';
}

/** The refused create's error as the log keeps it: its field paths are what failures.csv reports. */
export function failedMessage(error: ApiError): string {
  return `Create Conversation failed: ${error.message}`;
}
