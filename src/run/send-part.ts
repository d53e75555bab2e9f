import { estimateEnvelopeBytes } from '../api/request-size.js';
import { splitIntoParts } from '../plan/split.js';
import type { PartRecord, PartThread } from '../state/parts.js';
import { planSmaller, smallerCreate } from './create-too-large.js';
import { failedMessage, isolateRefusal } from './isolate-refusal.js';
import { openingThreads } from './opening-threads.js';
import { appendedThread, conversationBody } from './payload.js';
import { appendsWithoutFiles, recordConversationCreated, recordThreadCreated } from './record-success.js';
import { resolveConversationWrite, resolveOpenWrites, resolveThreadWrite } from './resolve-in-doubt.js';
import { type Outcome, type SendContext, shapeOf } from './send-context.js';
import { filesToSend, prepareThreadFiles } from './thread-files.js';
import { uploadAttachments } from './upload-attachments.js';
import { writeOnce } from './write-once.js';

export type { SendContext } from './send-context.js';

/**
 * How sending a part ended. `done`: every thread was sent or failed on its own. `failed`: its conversation
 * could not be created, its threads are reported failed. In both the conversation's later parts may go on.
 * `held`: something is left for a later run (stopping, or a write still unresolved), and the conversation's
 * later parts must wait too, or its threads would land out of order.
 */
export type PartResult =
  | { kind: 'done' }
  | { kind: 'failed' }
  | { kind: 'held'; reason: 'stopped' | 'unresolved' }
  /** A create in doubt not yet found: go over the part again after `until`, when lists have caught up. */
  | { kind: 'waiting'; until: number };

/** Where one pass over a part got to: an end, or the part to go over next (itself reloaded, or a continuation). */
type Pass = PartResult | { kind: 'again'; partId: number };

/**
 * Sends what is left of one part, in order: its Create Conversation, then its appended threads. A part that
 * moved (merged conversation) is reloaded and gone over again; a 412 hands the rest to a continuation part,
 * which is sent next.
 */
export async function sendPart(ctx: SendContext, partId: number): Promise<PartResult> {
  let pass: Pass = { kind: 'again', partId };
  while (pass.kind === 'again') pass = await sendPass(ctx, pass.partId);
  return pass;
}

async function sendPass(ctx: SendContext, partId: number): Promise<Pass> {
  const waiting = await resolveOpenWrites(ctx, partId);
  if (waiting) return resultOf(waiting);
  let part = ctx.parts.part(partId);
  if (part.hsConversationId === null) {
    const outcome = await createConversation(ctx, part);
    // A thread left out (refused), the part split, or planned again smaller (413): gone over again.
    if (outcome === 'again') return { kind: 'again', partId };
    if (outcome !== 'ok') return resultOf(outcome);
    part = ctx.parts.part(partId);
  }
  const threads = ctx.parts.threads(partId);
  for (const [i, thread] of threads.entries()) {
    if (thread.state !== 'pending') continue;
    if (ctx.stop.aborted) return resultOf('stopped');
    // Inline threads, and appended ones already created without their files, have only files left to send.
    const created = thread.inline || (thread.attachmentsLater && ctx.writes.threadCreated(thread.id));
    let outcome = created
      ? await uploadAttachments(ctx, part, thread)
      : await appendThread(ctx, part, thread, threads.slice(i));
    if (outcome === 'ok' && !created && appendsWithoutFiles(ctx, thread)) {
      const reloaded = ctx.parts.threads(partId).find((t) => t.id === thread.id) as PartThread;
      outcome = await uploadAttachments(ctx, part, reloaded);
    }
    if (outcome === 'stopped' || outcome === 'deferred') return resultOf(outcome);
    // Merged elsewhere, or to go again without its files: the part is reloaded and gone over again.
    if (outcome === 'again') return { kind: 'again', partId };
    if (typeof outcome === 'object' && 'waitUntil' in outcome) return resultOf(outcome);
    if (typeof outcome === 'object') return { kind: 'again', partId: outcome.continuedIn };
  }
  return { kind: 'done' };
}

function resultOf(outcome: Exclude<Outcome, 'ok'>): PartResult {
  if (typeof outcome === 'object') return { kind: 'waiting', until: outcome.waitUntil };
  if (outcome === 'failed') return { kind: 'failed' };
  return { kind: 'held', reason: outcome === 'stopped' ? 'stopped' : 'unresolved' };
}

async function createConversation(ctx: SendContext, part: PartRecord): Promise<Outcome | 'again'> {
  const threads = ctx.parts.threads(part.id);
  const { threads: inline, bodies } = await openingThreads(ctx, part, threads);
  if (inline.length === 0) return 'failed';
  const last = threads[threads.length - 1] as PartThread;
  const body = conversationBody(
    part.envelope,
    ctx.target.mailboxId,
    bodies,
    last.row.createdAt,
    ctx.assignTo,
  );
  const ids = inline.map((t) => t.id);
  const result = await writeOnce(ctx, {
    intent: () => ctx.writes.intent(part.id, 'create-conversation', ids, null),
    send: () => ctx.client.createConversation(body),
    recordSent: (writeId, id) => recordConversationCreated(ctx, part, writeId, id, inline),
    readBack: (writeId) =>
      resolveConversationWrite(ctx, part, {
        id: writeId,
        threadIds: ids,
        intentAt: ctx.writes.intentAt(writeId),
      }),
  });
  if (result.kind === 'waiting') return { waitUntil: result.until };
  if (result.kind !== 'refused') return result.kind;
  const pendingThreads = threads.filter((t) => t.state === 'pending');
  const smaller = result.error.status === 413 ? smallerCreate(part.envelope, inline) : undefined;
  if (smaller) {
    planSmaller(
      ctx,
      part,
      pendingThreads,
      { writeId: result.writeId, message: result.error.message },
      smaller,
    );
    return 'again';
  }
  const isolated = isolateRefusal(ctx, part, result.writeId, result.error, inline, pendingThreads);
  if (isolated !== undefined) return isolated;
  const pending = pendingThreads.map((t) => t.id);
  const error = failedMessage(result.error);
  ctx.writes.finish(result.writeId, { kind: 'refused', status: result.error.status, error }, () =>
    ctx.parts.threadsFailed(pending, error),
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
): Promise<Outcome | 'again' | { continuedIn: number }> {
  const shape = shapeOf(ctx, thread);
  const files = await prepareThreadFiles(ctx, part, thread, !appendsWithoutFiles(ctx, thread));
  if (files === false) return 'failed';
  const body = appendedThread(thread.row, shape, part.envelope, files.bodies);
  const conversationId = part.hsConversationId as number;
  const result = await writeOnce(ctx, {
    intent: () => ctx.writes.intent(part.id, 'create-thread', [thread.id], conversationId),
    send: () => ctx.client.createThread(conversationId, shape.endpoint, body),
    recordSent: (writeId, id) => recordThreadCreated(ctx, part, writeId, thread, id),
    readBack: (writeId) => resolveThreadWrite(ctx, part, conversationId, writeId, thread),
  });
  if (result.kind === 'waiting') return { waitUntil: result.until };
  if (result.kind !== 'refused') return result.kind;
  const { writeId, error } = result;
  if (error.status === 412) return continueInNewPart(ctx, part, writeId, error, rest);
  if (error.status === 413 && !appendsWithoutFiles(ctx, thread) && filesToSend(thread.row).length > 0) {
    // Too large with its files (it did nothing): the thread goes again without them, its files follow.
    const resolution = 'sent again without its files';
    ctx.writes.finish(writeId, { kind: 'refused', status: 413, error: error.message, resolution });
    return 'again';
  }
  // Its text alone is too large for the thread endpoint, whose limit may be far below Create Conversation's:
  // it opens a continuation part, created with it inline.
  if (error.status === 413) return continueInNewPart(ctx, part, writeId, error, rest);
  if (error.status === 404) {
    const found = await ctx.client.getConversation(conversationId);
    if (found.kind === 'moved') {
      const resolution = `merged into ${found.to}`;
      ctx.writes.finish(writeId, { kind: 'refused', status: 404, error: error.message, resolution }, () =>
        ctx.parts.moved(part.id, found.to, conversationId),
      );
      ctx.stats.moved += 1;
      ctx.log.warn({
        event: 'conversation.moved',
        conversation: part.conversationKey,
        from: conversationId,
        to: found.to,
      });
      return 'again';
    }
  }
  ctx.writes.finish(writeId, { kind: 'refused', status: error.status, error: error.message }, () =>
    ctx.parts.threadsFailed([thread.id], error.message),
  );
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

/**
 * Thread cap or the "too old" lock (412), or a thread too large to append (413): the rest of this part becomes
 * a continuation part of its own.
 */
function continueInNewPart(
  ctx: SendContext,
  part: PartRecord,
  writeId: number,
  error: { status: number; message: string },
  rest: PartThread[],
): { continuedIn: number } {
  const { status, message } = error;
  const conversationId = part.hsConversationId as number;
  const pending = rest.filter((t) => t.state === 'pending');
  const slice = splitIntoParts(pending, {
    strategy: 'batch',
    maxRequestBytes: ctx.target.maxRequestBytes,
    envelopeBytes: estimateEnvelopeBytes(part.envelope),
  })[0];
  const resolution = 'continued in a new part';
  const next = ctx.writes.finish(writeId, { kind: 'refused', status, error: message, resolution }, () =>
    ctx.parts.continueInNewPart(
      part,
      pending.map((t) => t.id),
      // Appends are what failed: the continuation carries as much as it can inline, whatever the strategy.
      slice?.inline ?? 1,
      slice?.deferFirstAttachments ?? false,
      `${status} on append to ${conversationId}: ${message}`,
    ),
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
