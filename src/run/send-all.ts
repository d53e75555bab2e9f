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
  let queue = new Map<string, number[]>();
  for (const part of parts) {
    const list = queue.get(part.conversationKey) ?? [];
    list.push(part.id);
    queue.set(part.conversationKey, list);
  }
  // Conversations whose create is in doubt and not yet listed come back once lists may have caught up.
  while (queue.size > 0 && !ctx.stop.aborted) {
    const waiting = await sendRound(ctx, queue, concurrency);
    if (waiting.size === 0) return;
    const until = Math.min(...[...waiting.values()].map((w) => w.until));
    ctx.stats.waitingReadBack = waiting.size;
    ctx.log.info(
      { event: 'in-doubt.waiting', conversations: waiting.size, until: new Date(until).toISOString() },
      "in doubt, waiting: a create not yet listed is read again once Help Scout's lists may have caught up",
    );
    try {
      await ctx.clock.sleep(until - ctx.clock.now(), ctx.stop);
    } catch (error) {
      if (ctx.stop.aborted) return;
      throw error;
    } finally {
      ctx.stats.waitingReadBack = 0;
    }
    queue = new Map([...waiting].map(([key, w]) => [key, w.partIds]));
  }
}

/**
 * One round over the conversations, at most `concurrency` at once. Returns the conversations left waiting
 * for a read-back, with the parts they still have to go over.
 */
async function sendRound(
  ctx: SendContext,
  queue: ReadonlyMap<string, number[]>,
  concurrency: number,
): Promise<Map<string, { until: number; partIds: number[] }>> {
  const limit = pLimit(concurrency);
  const waiting = new Map<string, { until: number; partIds: number[] }>();
  let failure: { error: unknown } | undefined;
  await Promise.all(
    [...queue].map(([key, partIds]) =>
      limit(async () => {
        for (const [index, partId] of partIds.entries()) {
          if (ctx.stop.aborted || failure) return;
          try {
            const result = await sendPart(ctx, partId);
            if (result.kind === 'waiting')
              waiting.set(key, { until: result.until, partIds: partIds.slice(index) });
            // A part left unfinished holds back the conversation's later parts, to keep date order.
            if (result.kind === 'held' || result.kind === 'waiting') return;
          } catch (error) {
            failure ??= { error };
            return;
          }
        }
      }),
    ),
  );
  if (failure) throw failure.error;
  return waiting;
}
