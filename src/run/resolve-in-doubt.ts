import type { OpenWrite, PartRecord, PartThread } from '../state/ledger.js';
import { findConversation, findThread } from './reconcile.js';
import { type SendContext, shapeOf } from './send-context.js';

/** Writes of this part left without an answer by an earlier run, resolved by reading back before anything else. */
export async function resolveOpenWrites(ctx: SendContext, partId: number): Promise<void> {
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

export async function resolveConversationWrite(
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

export async function resolveThreadWrite(
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

/** An attachment upload in doubt: found when the thread holds more files than the ledger has recorded. */
export async function resolveAttachmentWrite(
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
