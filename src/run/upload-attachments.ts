import type { AttachmentRef } from '../source/types.js';
import type { PartRecord, PartThread } from '../state/parts.js';
import { readAttachment } from './payload.js';
import { findThread } from './reconcile.js';
import { recordAttachmentUploaded } from './record-success.js';
import { resolveAttachmentWrite } from './resolve-in-doubt.js';
import { type Outcome, type SendContext, shapeOf } from './send-context.js';
import { writeOnce } from './write-once.js';

/**
 * The files of a thread that went inline without them (too large for Create Conversation): its id is read
 * back from the conversation (a logged read), then each file is uploaded to it, one logged write each; the
 * last one completes the thread.
 */
export async function uploadAttachments(
  ctx: SendContext,
  part: PartRecord,
  thread: PartThread,
): Promise<Outcome> {
  const conversationId = part.hsConversationId as number;
  const hsThreadId = thread.hsThreadId ?? (await findThreadId(ctx, part, thread));
  if (hsThreadId === null) return 'failed';
  const files = thread.row.attachments;
  const uploaded = ctx.writes.attachmentsUploaded(thread.id);
  if (uploaded >= files.length) {
    // A state file of an earlier version may hold the last upload without the thread completed: the
    // uploads in the log are what completes it.
    ctx.parts.threadComplete(thread.id);
    ctx.stats.threadsImported += 1;
    return 'ok';
  }
  const known = { ...thread, hsThreadId };
  for (let index = uploaded; index < files.length; index++) {
    const body = await readAttachment(files[index] as AttachmentRef);
    const result = await writeOnce(ctx, {
      intent: () => ctx.writes.intent(part.id, 'create-attachment', [thread.id], conversationId),
      send: () => ctx.client.createAttachment(conversationId, hsThreadId, body),
      recordSent: (writeId) => recordAttachmentUploaded(ctx, part, writeId, known),
      readBack: (writeId) => resolveAttachmentWrite(ctx, part, conversationId, writeId, known),
    });
    if (result.kind === 'stopped' || result.kind === 'deferred') return result.kind;
    if (result.kind === 'waiting') return { waitUntil: result.until };
    if (result.kind === 'refused') {
      const error = `attachment ${files[index]?.relPath}: ${result.error.message}`;
      ctx.writes.finish(result.writeId, { kind: 'refused', status: result.error.status, error }, () =>
        ctx.parts.threadsFailed([thread.id], error),
      );
      ctx.stats.threadsFailed += 1;
      return 'failed';
    }
  }
  return 'ok';
}

/** The Help Scout id of the thread, read back and logged; null (the thread failed) when it is not there. */
async function findThreadId(ctx: SendContext, part: PartRecord, thread: PartThread): Promise<number | null> {
  const conversationId = part.hsConversationId as number;
  const found = await findThread(ctx.client, conversationId, {
    type: shapeOf(ctx, thread).inlineType,
    text: thread.row.text,
    createdAt: thread.row.createdAt,
    alreadyDone: 0,
  });
  if (found.found) {
    ctx.writes.record(
      part.id,
      'find-thread',
      [thread.id],
      conversationId,
      {
        kind: 'found',
        resourceId: found.id,
      },
      () => ctx.parts.threadIdFound(thread.id, found.id),
    );
    return found.id;
  }
  const error = 'the thread to attach its files to is not in its conversation';
  ctx.writes.record(part.id, 'find-thread', [thread.id], conversationId, { kind: 'not-found', error }, () =>
    ctx.parts.threadsFailed([thread.id], error),
  );
  ctx.stats.threadsFailed += 1;
  return null;
}
