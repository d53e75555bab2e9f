import pLimit from 'p-limit';
import type { PartRecord } from '../state/parts.js';
import { type SendContext, sendPart } from './send-part.js';

/**
 * Sends every part with something left, conversations in parallel (at most `concurrency` at once) and the
 * parts of one conversation strictly in order, so its threads reach Help Scout in date order. The first
 * unexpected error stops every worker from starting anything new; it is rethrown once all have settled, so
 * nothing keeps writing behind the caller's back.
 */
export async function sendAll(
  ctx: SendContext,
  parts: readonly PartRecord[],
  concurrency: number,
): Promise<void> {
  const byConversation = new Map<string, number[]>();
  for (const part of parts) {
    const list = byConversation.get(part.conversationKey) ?? [];
    list.push(part.id);
    byConversation.set(part.conversationKey, list);
  }
  const limit = pLimit(concurrency);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    [...byConversation.values()].map((partIds) =>
      limit(async () => {
        for (const partId of partIds) {
          if (ctx.stop.aborted || failure) return;
          try {
            // A part left unfinished holds back the conversation's later parts, to keep date order.
            if ((await sendPart(ctx, partId)).kind === 'held') return;
          } catch (error) {
            failure ??= { error };
            return;
          }
        }
      }),
    ),
  );
  if (failure) throw failure.error;
}
