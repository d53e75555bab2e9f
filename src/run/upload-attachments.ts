import { ApiError, InDoubtError, StoppedError } from '../helpscout/errors.js';
import { sleepBackoff } from '../helpscout/retry-policy.js';
import type { AttachmentRef } from '../source/types.js';
import type { PartRecord, PartThread } from '../state/ledger.js';
import { readAttachment } from './payload.js';
import { findThread } from './reconcile.js';
import { resolveAttachmentWrite } from './resolve-in-doubt.js';
import { type Outcome, type SendContext, shapeOf } from './send-context.js';

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
