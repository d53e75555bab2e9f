import type { PartRecord, PartThread } from '../state/parts.js';
import type { OpenWrite } from '../state/write-log.js';
import { sentText } from './payload.js';
import { findConversation, findThread } from './reconcile.js';
import {
  recordAttachmentUploaded,
  recordConversationCreated,
  recordThreadCreated,
} from './record-success.js';
import { type SendContext, shapeOf } from './send-context.js';
import type { ReadBack } from './write-once.js';

/**
 * Writes of this part left without an answer (by an earlier run, or waiting in this one), resolved by reading
 * back before anything else. Returns when to look again if a create is still not known either way.
 */
export async function resolveOpenWrites(
  ctx: SendContext,
  partId: number,
): Promise<{ waitUntil: number } | undefined> {
  for (const write of ctx.writes.open(partId)) {
    ctx.stats.inDoubt += 1;
    const part = ctx.parts.part(partId);
    if (write.kind === 'create-conversation') {
      const readBack = await resolveConversationWrite(ctx, part, write);
      if (typeof readBack === 'object') return readBack;
      continue;
    }
    const thread = ctx.parts.threads(partId).find((t) => t.id === write.threadIds[0]);
    if (!thread || write.hsConversationId === null) {
      notCreated(ctx, write.id, 'nothing to look for');
      continue;
    }
    if (write.kind === 'create-attachment')
      await resolveAttachmentWrite(ctx, part, write.hsConversationId, write.id, thread);
    else await resolveThreadWrite(ctx, part, write.hsConversationId, write.id, thread);
  }
  return undefined;
}

function notCreated(ctx: SendContext, writeId: number, resolution: string): 'not-created' {
  ctx.writes.finish(writeId, { kind: 'not-created', resolution });
  return 'not-created';
}

function readBackNotFound(ctx: SendContext, writeId: number): 'not-created' {
  ctx.stats.resolvedNotCreated += 1;
  return notCreated(ctx, writeId, 'read back: not found');
}

export async function resolveConversationWrite(
  ctx: SendContext,
  part: PartRecord,
  write: Pick<OpenWrite, 'id' | 'threadIds' | 'intentAt'>,
): Promise<ReadBack> {
  if (!ctx.readBack) return notCreated(ctx, write.id, 'not read back');
  const threads = ctx.parts.threads(part.id);
  const first = threads.find((t) => t.id === write.threadIds[0]);
  if (!first) return notCreated(ctx, write.id, 'no thread to look for');
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
    // Lists are served from a search index that may lag creation by minutes: a miss before the horizon
    // proves nothing. The write stays in doubt and is read again later; other conversations go on.
    const waitUntil = Date.parse(write.intentAt) + ctx.resendAfterMs;
    if (ctx.clock.now() < waitUntil) {
      ctx.log.info({
        event: 'in-doubt.waiting',
        conversation: part.conversationKey,
        part: part.partNo,
        until: new Date(waitUntil).toISOString(),
      });
      return { waitUntil };
    }
    ctx.log.info({ event: 'in-doubt.not-created', conversation: part.conversationKey, part: part.partNo });
    return readBackNotFound(ctx, write.id);
  }
  const created = threads.filter((t) => write.threadIds.includes(t.id));
  recordConversationCreated(ctx, part, write.id, id, created, 'read back: found');
  ctx.stats.resolvedFound += 1;
  return 'found';
}

export async function resolveThreadWrite(
  ctx: SendContext,
  part: PartRecord,
  conversationId: number,
  writeId: number,
  thread: PartThread,
): Promise<ReadBack> {
  if (!ctx.readBack) return notCreated(ctx, writeId, 'not read back');
  const shape = shapeOf(ctx, thread);
  const alreadyDone = ctx.parts
    .threads(part.id)
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
    text: sentText(thread.row, shape),
    createdAt: thread.row.createdAt,
    alreadyDone,
  });
  if (!result.found) return readBackNotFound(ctx, writeId);
  recordThreadCreated(ctx, part, writeId, thread, result.id, 'read back: found');
  ctx.stats.resolvedFound += 1;
  return 'found';
}

/** An attachment upload in doubt: found when the thread holds more files than the log has recorded. */
export async function resolveAttachmentWrite(
  ctx: SendContext,
  part: PartRecord,
  conversationId: number,
  writeId: number,
  thread: PartThread,
): Promise<ReadBack> {
  if (thread.hsThreadId === null) return notCreated(ctx, writeId, 'thread id unknown');
  if (!ctx.readBack) return notCreated(ctx, writeId, 'not read back');
  let stored = 0;
  for await (const t of ctx.client.listThreads(conversationId)) {
    if (t.id === thread.hsThreadId) stored = t._embedded?.attachments?.length ?? 0;
  }
  if (stored <= ctx.writes.attachmentsUploaded(thread.id)) return readBackNotFound(ctx, writeId);
  recordAttachmentUploaded(ctx, part, writeId, thread, 'read back: found');
  ctx.stats.resolvedFound += 1;
  return 'found';
}
