import type { Logger } from 'pino';
import type { TargetConfig } from '../config/schema.js';
import type { HelpScoutApi } from '../helpscout/client.js';
import { ApiError, InDoubtError, StoppedError } from '../helpscout/errors.js';
import { type RetryPolicy, sleepBackoff } from '../helpscout/retry-policy.js';
import { type Strategy, splitIntoParts } from '../plan/split.js';
import type { AttachmentRef } from '../source/types.js';
import type { Ledger, OpenWrite, PartRecord, PartThread } from '../state/ledger.js';
import type { Clock } from '../util/clock.js';
import { appendedThread, conversationBody, inlineThread, readAttachment, threadShape } from './payload.js';
import { findConversation, findThread, type SearchPolicy } from './reconcile.js';
import type { RunStats } from './stats.js';

export interface SendContext {
  client: HelpScoutApi;
  ledger: Ledger;
  clock: Clock;
  log: Logger;
  stats: RunStats;
  target: TargetConfig & { mailboxId: number };
  strategy: Strategy;
  search: SearchPolicy;
  /** Backoff between resends of a write read back as not created. */
  retry: RetryPolicy;
  /** Off only to prove that the checks catch the duplicates a blind resend makes. */
  readBack: boolean;
  /** Help Scout user ids by lower-cased email (undefined: no such user, the token's owner writes it). */
  users: ReadonlyMap<string, number | undefined>;
  /** Conversation ids this state file already created, so read-back never mistakes one for another. */
  knownConversationIds: Set<number>;
  /** Aborted on SIGINT/SIGTERM: no new write starts after it. */
  stop: AbortSignal;
  /** How often one write may be found "not created" and sent again before the run leaves it for later. */
  maxResends: number;
}

type Outcome = 'ok' | 'failed' | 'stopped' | 'deferred';

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

function userOf(ctx: SendContext, thread: PartThread): number | undefined {
  const email = thread.row.authorEmail?.toLowerCase();
  return email ? ctx.users.get(email) : undefined;
}

function shapeOf(ctx: SendContext, thread: PartThread) {
  return threadShape(thread.row, ctx.target.agentLines, userOf(ctx, thread));
}

async function createConversation(ctx: SendContext, part: PartRecord): Promise<Outcome> {
  const threads = ctx.ledger.partThreads(part.id);
  const inline = threads.filter((t) => t.inline && t.state === 'pending');
  if (inline.length === 0) return 'failed';
  const last = threads[threads.length - 1] as PartThread;
  const bodies = await Promise.all(
    inline.map((t) => inlineThread(t.row, shapeOf(ctx, t), part.envelope.customer, !t.attachmentsLater)),
  );
  const body = conversationBody(part.envelope, ctx.target.mailboxId, bodies, last.row.createdAt);
  const ids = inline.map((t) => t.id);
  for (let resends = 0; ; resends++) {
    if (ctx.stop.aborted) return 'stopped';
    const writeId = ctx.ledger.intent(part.id, 'create-conversation', ids, null);
    try {
      const id = await ctx.client.createConversation(body);
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
      return 'ok';
    } catch (error) {
      if (error instanceof StoppedError) {
        ctx.ledger.notCreated(writeId, 'not sent: stopping');
        return 'stopped';
      }
      if (error instanceof InDoubtError) {
        ctx.ledger.inDoubt(writeId, error.message);
        ctx.stats.inDoubt += 1;
        const resolved = await resolveConversationWrite(ctx, part, {
          id: writeId,
          threadIds: ids,
          intentAt: nowIso(ctx),
        });
        if (resolved) return 'ok';
        if (resends >= ctx.maxResends) return 'deferred';
        continue;
      }
      if (error instanceof ApiError) {
        const message = `Create Conversation failed: ${error.message}`;
        ctx.ledger.failed(
          writeId,
          error.status,
          message,
          threads.filter((t) => t.state === 'pending').map((t) => t.id),
        );
        ctx.stats.threadsFailed += threads.filter((t) => t.state === 'pending').length;
        ctx.log.warn({
          event: 'conversation.failed',
          conversation: part.conversationKey,
          part: part.partNo,
          status: error.status,
          error: error.message,
        });
        return 'failed';
      }
      throw error;
    }
  }
}

async function appendThread(
  ctx: SendContext,
  part: PartRecord,
  thread: PartThread,
  rest: PartThread[],
): Promise<Outcome | 'moved' | { continuedIn: number }> {
  const shape = shapeOf(ctx, thread);
  const body = await appendedThread(thread.row, shape, part.envelope.customer);
  const conversationId = part.hsConversationId as number;
  for (let resends = 0; ; resends++) {
    if (ctx.stop.aborted) return 'stopped';
    const writeId = ctx.ledger.intent(part.id, 'create-thread', [thread.id], conversationId);
    try {
      const id = await ctx.client.createThread(conversationId, shape.endpoint, body);
      ctx.ledger.threadCreated(writeId, thread.id, id);
      ctx.stats.threadsImported += 1;
      return 'ok';
    } catch (error) {
      if (error instanceof StoppedError) {
        ctx.ledger.notCreated(writeId, 'not sent: stopping');
        return 'stopped';
      }
      if (error instanceof InDoubtError) {
        ctx.ledger.inDoubt(writeId, error.message);
        ctx.stats.inDoubt += 1;
        if (await resolveThreadWrite(ctx, part.id, conversationId, writeId, thread)) return 'ok';
        if (resends >= ctx.maxResends) return 'deferred';
        await sleepBackoff(ctx.clock, ctx.retry, resends, ctx.stop);
        continue;
      }
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 412) {
        // Thread cap or the "too old" lock: the rest of this part becomes a continuation part of its own.
        ctx.ledger.refused(writeId, 412, error.message);
        const pending = rest.filter((t) => t.state === 'pending');
        const slice = splitIntoParts(pending, {
          strategy: 'batch',
          maxRequestBytes: ctx.target.maxRequestBytes,
          envelopeBytes: 2048,
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
  }
}

/** Writes of this part left without an answer by an earlier run, resolved by reading back before anything else. */
async function resolveOpenWrites(ctx: SendContext, partId: number): Promise<void> {
  for (const write of ctx.ledger.openWrites(partId)) {
    ctx.stats.inDoubt += 1;
    const part = ctx.ledger.part(partId);
    if (write.kind === 'create-conversation') {
      await resolveConversationWrite(ctx, part, write);
      continue;
    }
    if (write.kind === 'create-attachment') {
      const target = ctx.ledger.partThreads(partId).find((t) => t.id === write.threadIds[0]);
      if (target && write.hsConversationId !== null)
        await resolveAttachmentWrite(ctx, write.hsConversationId, write.id, target);
      else ctx.ledger.notCreated(write.id, 'nothing to look for');
      continue;
    }
    const thread = ctx.ledger.partThreads(partId).find((t) => t.id === write.threadIds[0]);
    if (!thread || write.hsConversationId === null) {
      ctx.ledger.notCreated(write.id, 'nothing to look for');
      continue;
    }
    await resolveThreadWrite(ctx, partId, write.hsConversationId, write.id, thread);
  }
}

async function resolveConversationWrite(
  ctx: SendContext,
  part: PartRecord,
  write: Pick<OpenWrite, 'id' | 'threadIds' | 'intentAt'>,
): Promise<boolean> {
  if (!ctx.readBack) {
    ctx.ledger.notCreated(write.id, 'not read back');
    return false;
  }
  const threads = ctx.ledger.partThreads(part.id);
  const first = threads.find((t) => t.id === write.threadIds[0]);
  if (!first) {
    ctx.ledger.notCreated(write.id, 'no thread to look for');
    return false;
  }
  const since = new Date(Date.parse(write.intentAt) - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const id = await findConversation(
    ctx.client,
    {
      mailboxId: ctx.target.mailboxId,
      tag: part.envelope.tags[0],
      since,
      subject: part.envelope.subject,
      createdAt: first.row.createdAt,
      customer: part.envelope.customer,
      knownIds: ctx.knownConversationIds,
    },
    ctx.search,
    ctx.clock,
    ctx.stop,
  );
  if (id === undefined) {
    ctx.ledger.notCreated(write.id, 'read back: not found');
    ctx.stats.resolvedNotCreated += 1;
    ctx.log.info({ event: 'in-doubt.not-created', conversation: part.conversationKey, part: part.partNo });
    return false;
  }
  ctx.ledger.conversationCreated(write.id, part.id, id, write.threadIds, 'read back: found');
  ctx.knownConversationIds.add(id);
  ctx.stats.resolvedFound += 1;
  ctx.stats.threadsImported += threads.filter(
    (t) => write.threadIds.includes(t.id) && !t.attachmentsLater,
  ).length;
  ctx.stats.partsCreated += 1;
  ctx.log.info({ event: 'in-doubt.found', conversation: part.conversationKey, part: part.partNo, id });
  return true;
}

async function resolveThreadWrite(
  ctx: SendContext,
  partId: number,
  conversationId: number,
  writeId: number,
  thread: PartThread,
): Promise<boolean> {
  if (!ctx.readBack) {
    ctx.ledger.notCreated(writeId, 'not read back');
    return false;
  }
  const shape = shapeOf(ctx, thread);
  const alreadyDone = ctx.ledger
    .partThreads(partId)
    .filter(
      (t) =>
        t.state === 'done' &&
        t.id !== thread.id &&
        t.row.createdAt === thread.row.createdAt &&
        t.row.text === thread.row.text &&
        shapeOf(ctx, t).inlineType === shape.inlineType,
    ).length;
  const result = await findThread(ctx.client, conversationId, {
    type: shape.inlineType,
    text: thread.row.text,
    createdAt: thread.row.createdAt,
    alreadyDone,
  });
  if (!result.found) {
    ctx.ledger.notCreated(writeId, 'read back: not found');
    ctx.stats.resolvedNotCreated += 1;
    return false;
  }
  ctx.ledger.threadCreated(writeId, thread.id, result.id, 'read back: found');
  ctx.stats.resolvedFound += 1;
  ctx.stats.threadsImported += 1;
  return true;
}

/**
 * The files of a thread that went inline without them (too large for Create Conversation): its id is read
 * back from the conversation, then each file is uploaded to it, one recorded write each.
 */
async function uploadAttachments(ctx: SendContext, part: PartRecord, thread: PartThread): Promise<Outcome> {
  const conversationId = part.hsConversationId as number;
  let hsThreadId = thread.hsThreadId;
  if (hsThreadId === null) {
    const found = await findThread(ctx.client, conversationId, {
      type: shapeOf(ctx, thread).inlineType,
      text: thread.row.text,
      createdAt: thread.row.createdAt,
      alreadyDone: 0,
    });
    if (!found.found) {
      const writeId = ctx.ledger.intent(part.id, 'create-attachment', [thread.id], conversationId);
      ctx.ledger.failed(writeId, null, 'the thread to attach its files to is not in its conversation', [
        thread.id,
      ]);
      ctx.stats.threadsFailed += 1;
      return 'failed';
    }
    ctx.ledger.threadIdFound(thread.id, found.id);
    hsThreadId = found.id;
  }
  const files = thread.row.attachments;
  for (let index = ctx.ledger.attachmentsUploaded(thread.id); index < files.length; index++) {
    const body = await readAttachment(files[index] as AttachmentRef);
    for (let resends = 0; ; resends++) {
      if (ctx.stop.aborted) return 'stopped';
      const writeId = ctx.ledger.intent(part.id, 'create-attachment', [thread.id], conversationId);
      try {
        await ctx.client.createAttachment(conversationId, hsThreadId, body);
        ctx.ledger.attachmentUploaded(writeId);
        break;
      } catch (error) {
        if (error instanceof StoppedError) {
          ctx.ledger.notCreated(writeId, 'not sent: stopping');
          return 'stopped';
        }
        if (error instanceof InDoubtError) {
          ctx.ledger.inDoubt(writeId, error.message);
          ctx.stats.inDoubt += 1;
          if (await resolveAttachmentWrite(ctx, conversationId, writeId, { ...thread, hsThreadId })) break;
          if (resends >= ctx.maxResends) return 'deferred';
          await sleepBackoff(ctx.clock, ctx.retry, resends, ctx.stop);
          continue;
        }
        if (!(error instanceof ApiError)) throw error;
        ctx.ledger.failed(writeId, error.status, `attachment ${files[index]?.relPath}: ${error.message}`, [
          thread.id,
        ]);
        ctx.stats.threadsFailed += 1;
        return 'failed';
      }
    }
  }
  ctx.ledger.threadComplete(thread.id);
  ctx.stats.threadsImported += 1;
  return 'ok';
}

/** An attachment upload in doubt: found when the thread holds more files than the ledger has recorded. */
async function resolveAttachmentWrite(
  ctx: SendContext,
  conversationId: number,
  writeId: number,
  thread: PartThread,
): Promise<boolean> {
  if (!ctx.readBack || thread.hsThreadId === null) {
    ctx.ledger.notCreated(writeId, thread.hsThreadId === null ? 'thread id unknown' : 'not read back');
    return false;
  }
  let stored = 0;
  for await (const t of ctx.client.listThreads(conversationId)) {
    if (t.id === thread.hsThreadId) stored = t._embedded?.attachments?.length ?? 0;
  }
  if (stored > ctx.ledger.attachmentsUploaded(thread.id)) {
    ctx.ledger.attachmentUploaded(writeId, 'read back: found');
    ctx.stats.resolvedFound += 1;
    return true;
  }
  ctx.ledger.notCreated(writeId, 'read back: not found');
  ctx.stats.resolvedNotCreated += 1;
  return false;
}

function nowIso(ctx: SendContext): string {
  return new Date(ctx.clock.now()).toISOString();
}
