import { estimateEnvelopeBytes } from '../api/request-size.js';
import { splitIntoParts } from '../plan/split.js';
import type { PartRecord, PartThread } from '../state/ledger.js';
import { appendedThread, conversationBody, inlineThread } from './payload.js';
import { resolveConversationWrite, resolveOpenWrites, resolveThreadWrite } from './resolve-in-doubt.js';
import { type Outcome, type SendContext, shapeOf } from './send-context.js';
import { uploadAttachments } from './upload-attachments.js';
import { writeOnce } from './write-once.js';

export type { SendContext } from './send-context.js';

/**
 * Sends what is left of one part, in order: its Create Conversation, then its appended threads. Returns
 * false when it had to leave something for a later run (stopping, or a write still unresolved): the
 * conversation's later parts must then wait too, or its threads would land out of order.
 */
export async function sendPart(ctx: SendContext, partId: number): Promise<boolean> {
  await resolveOpenWrites(ctx, partId);
  let part = ctx.ledger.part(partId);
  if (part.hsConversationId === null) {
    const outcome = await createConversation(ctx, part);
    if (outcome !== 'ok') return outcome === 'failed';
    part = ctx.ledger.part(partId);
  }
  const threads = ctx.ledger.partThreads(partId);
  for (let i = 0; i < threads.length; i++) {
    const thread = threads[i] as PartThread;
    if (thread.state !== 'pending') continue;
    if (ctx.stop.aborted) return false;
    const outcome = thread.inline
      ? await uploadAttachments(ctx, part, thread)
      : await appendThread(ctx, part, thread, threads.slice(i));
    if (outcome === 'stopped' || outcome === 'deferred') return false;
    if (typeof outcome === 'object') return sendPart(ctx, outcome.continuedIn);
    if (outcome === 'moved') {
      part = ctx.ledger.part(partId);
      i -= 1;
    }
  }
  return true;
}

async function createConversation(ctx: SendContext, part: PartRecord): Promise<Outcome> {
  const threads = ctx.ledger.partThreads(part.id);
  const inline = threads.filter((t) => t.inline && t.state === 'pending');
  if (inline.length === 0) return 'failed';
  const last = threads[threads.length - 1] as PartThread;
  const bodies = await Promise.all(
    inline.map((t) => inlineThread(t.row, shapeOf(ctx, t), part.envelope.customer, !t.attachmentsLater)),
  );
  const body = conversationBody(
    part.envelope,
    ctx.target.mailboxId,
    bodies,
    last.row.createdAt,
    ctx.assignTo,
  );
  const ids = inline.map((t) => t.id);
  const result = await writeOnce(ctx, {
    intent: () => ctx.ledger.intent(part.id, 'create-conversation', ids, null),
    send: () => ctx.client.createConversation(body),
    recordSent: (writeId, id) => {
      ctx.ledger.conversationCreated(writeId, part.id, id, ids);
      ctx.knownConversationIds.add(id);
      ctx.stats.threadsImported += inline.filter((t) => !t.attachmentsLater).length;
      ctx.stats.partsCreated += 1;
      ctx.log.info({
        event: 'conversation.created',
        conversation: part.conversationKey,
        part: part.partNo,
        id,
        threads: ids.length,
      });
    },
    readBack: (writeId) =>
      resolveConversationWrite(ctx, part, {
        id: writeId,
        threadIds: ids,
        intentAt: ctx.ledger.intentAt(writeId),
      }),
  });
  if (result.kind !== 'refused') return result.kind;
  const pending = threads.filter((t) => t.state === 'pending').map((t) => t.id);
  ctx.ledger.failed(
    result.writeId,
    result.error.status,
    `Create Conversation failed: ${result.error.message}`,
    pending,
  );
  ctx.stats.threadsFailed += pending.length;
  ctx.log.warn({
    event: 'conversation.failed',
    conversation: part.conversationKey,
    part: part.partNo,
    status: result.error.status,
    error: result.error.message,
  });
  return 'failed';
}

async function appendThread(
  ctx: SendContext,
  part: PartRecord,
  thread: PartThread,
  rest: PartThread[],
): Promise<Outcome | 'moved' | { continuedIn: number }> {
  const shape = shapeOf(ctx, thread);
  const body = await appendedThread(thread.row, shape, part.envelope);
  const conversationId = part.hsConversationId as number;
  const result = await writeOnce(ctx, {
    intent: () => ctx.ledger.intent(part.id, 'create-thread', [thread.id], conversationId),
    send: () => ctx.client.createThread(conversationId, shape.endpoint, body),
    recordSent: (writeId, id) => {
      ctx.ledger.threadCreated(writeId, thread.id, id);
      ctx.stats.threadsImported += 1;
    },
    readBack: (writeId) => resolveThreadWrite(ctx, part.id, conversationId, writeId, thread),
  });
  if (result.kind !== 'refused') return result.kind;
  const { writeId, error } = result;
  if (error.status === 412) {
    // Thread cap or the "too old" lock: the rest of this part becomes a continuation part of its own.
    ctx.ledger.refused(writeId, 412, error.message);
    const pending = rest.filter((t) => t.state === 'pending');
    const slice = splitIntoParts(pending, {
      strategy: 'batch',
      maxRequestBytes: ctx.target.maxRequestBytes,
      envelopeBytes: estimateEnvelopeBytes(part.envelope),
    })[0];
    const next = ctx.ledger.continueInNewPart(
      part,
      pending.map((t) => t.id),
      // Appends are what failed: the continuation carries as much as it can inline, whatever the strategy.
      slice?.inline ?? 1,
      slice?.deferFirstAttachments ?? false,
      `412 on append to ${conversationId}: ${error.message}`,
    );
    ctx.stats.continuations += 1;
    ctx.log.warn({
      event: 'part.continued',
      conversation: part.conversationKey,
      from: conversationId,
      threads: pending.length,
    });
    return { continuedIn: next };
  }
  if (error.status === 404) {
    const found = await ctx.client.getConversation(conversationId);
    if (found.kind === 'moved') {
      ctx.ledger.refused(writeId, 404, error.message);
      ctx.ledger.moved(part.id, found.to, conversationId);
      ctx.stats.moved += 1;
      ctx.log.warn({
        event: 'conversation.moved',
        conversation: part.conversationKey,
        from: conversationId,
        to: found.to,
      });
      return 'moved';
    }
  }
  ctx.ledger.failed(writeId, error.status, error.message, [thread.id]);
  ctx.stats.threadsFailed += 1;
  ctx.log.warn({
    event: 'thread.failed',
    conversation: part.conversationKey,
    thread: thread.id,
    status: error.status,
    error: error.message,
  });
  return 'failed';
}
