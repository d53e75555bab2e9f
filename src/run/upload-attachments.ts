import type { AttachmentRef } from '../source/types.js';
import type { PartRecord, PartThread } from '../state/ledger.js';
import { readAttachment } from './payload.js';
import { findThread } from './reconcile.js';
import { resolveAttachmentWrite } from './resolve-in-doubt.js';
import { type Outcome, type SendContext, shapeOf } from './send-context.js';
import { writeOnce } from './write-once.js';

/**
 * The files of a thread that went inline without them (too large for Create Conversation): its id is read
 * back from the conversation, then each file is uploaded to it, one recorded write each.
 */
export async function uploadAttachments(
  ctx: SendContext,
  part: PartRecord,
  thread: PartThread,
): Promise<Outcome> {
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
    const known = hsThreadId;
    const result = await writeOnce(ctx, {
      intent: () => ctx.ledger.intent(part.id, 'create-attachment', [thread.id], conversationId),
      send: () => ctx.client.createAttachment(conversationId, known, body),
      recordSent: (writeId) => ctx.ledger.attachmentUploaded(writeId),
      readBack: (writeId) =>
        resolveAttachmentWrite(ctx, conversationId, writeId, { ...thread, hsThreadId: known }),
    });
    if (result.kind === 'stopped' || result.kind === 'deferred') return result.kind;
    if (result.kind === 'refused') {
      const message = `attachment ${files[index]?.relPath}: ${result.error.message}`;
      ctx.ledger.failed(result.writeId, result.error.status, message, [thread.id]);
      ctx.stats.threadsFailed += 1;
      return 'failed';
    }
  }
  ctx.ledger.threadComplete(thread.id);
  ctx.stats.threadsImported += 1;
  return 'ok';
}
