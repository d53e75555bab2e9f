import type { AttachmentRef } from '../source/types.js';
import type { PartRecord, PartThread } from '../state/parts.js';
import { sentText } from './payload.js';
import { findThread } from './reconcile.js';
import { recordAttachmentUploaded } from './record-success.js';
import { resolveAttachmentWrite } from './resolve-in-doubt.js';
import { type Outcome, type SendContext, shapeOf } from './send-context.js';
import { failedByFile, fileLabel, filesToSend, readFileBody } from './thread-files.js';
import { writeOnce } from './write-once.js';

/**
 * The files of an inline thread, once its conversation exists. Files that went with Create Conversation are
 * checked: Help Scout may drop them without an error, and then they are uploaded like the files of a thread
 * too large to carry them (the thread's id read back, a logged read; each file a logged write; the last one
 * completes the thread).
 */
export async function uploadAttachments(
  ctx: SendContext,
  part: PartRecord,
  thread: PartThread,
): Promise<Outcome> {
  const conversationId = part.hsConversationId as number;
  const seen = await findThreadId(ctx, part, thread);
  if (seen === null) return 'failed';
  const hsThreadId = seen.id;
  const files = filesToSend(thread.row);
  const uploaded = ctx.writes.attachmentsUploaded(thread.id);
  if (!thread.attachmentsLater && seen.files > uploaded) {
    // Sent inline: all kept, or (if some but not all) something this importer cannot tell apart safely.
    if (seen.files >= files.length) return threadComplete(ctx, part, thread, hsThreadId);
    const error = `Help Scout kept ${seen.files} of the ${files.length} files sent with this thread`;
    ctx.writes.record(part.id, 'find-thread', [thread.id], conversationId, { kind: 'not-found', error }, () =>
      ctx.parts.threadsFailed([thread.id], error),
    );
    ctx.stats.threadsFailed += 1;
    return 'failed';
  }
  if (uploaded >= files.length) {
    // A state file of an earlier version may hold the last upload without the thread completed: the
    // uploads in the log are what completes it.
    ctx.parts.threadComplete(thread.id);
    ctx.stats.threadsImported += 1;
    return 'ok';
  }
  const known = { ...thread, hsThreadId };
  for (let index = uploaded; index < files.length; index++) {
    const file = files[index] as AttachmentRef;
    // Read and checked now: the file may have gone, changed or left the export's folder since staging.
    const read = await readFileBody(ctx, file);
    if (!read.ok) {
      failedByFile(ctx, part, thread, `${fileLabel(file)} ${read.reason}`);
      return 'failed';
    }
    const body = read.body;
    const result = await writeOnce(ctx, {
      intent: () => ctx.writes.intent(part.id, 'create-attachment', [thread.id], conversationId),
      send: () => ctx.client.createAttachment(conversationId, hsThreadId, body),
      recordSent: (writeId) => recordAttachmentUploaded(ctx, part, writeId, known),
      readBack: (writeId) => resolveAttachmentWrite(ctx, part, conversationId, writeId, known),
    });
    if (result.kind === 'stopped' || result.kind === 'deferred') return result.kind;
    if (result.kind === 'waiting') return { waitUntil: result.until };
    if (result.kind === 'refused') {
      const error = `${fileLabel(file)}: ${result.error.message}`;
      ctx.writes.finish(result.writeId, { kind: 'refused', status: result.error.status, error }, () =>
        ctx.parts.threadsFailed([thread.id], error),
      );
      ctx.stats.threadsFailed += 1;
      return 'failed';
    }
  }
  return 'ok';
}

/** The files sent inline are all there: the thread is complete (logged as the read that saw them). */
function threadComplete(ctx: SendContext, part: PartRecord, thread: PartThread, hsThreadId: number): Outcome {
  const conversationId = part.hsConversationId as number;
  ctx.writes.record(
    part.id,
    'find-thread',
    [thread.id],
    conversationId,
    { kind: 'found', resourceId: hsThreadId },
    () => {
      ctx.parts.threadIdFound(thread.id, hsThreadId);
      ctx.parts.threadComplete(thread.id);
    },
  );
  ctx.stats.threadsImported += 1;
  return 'ok';
}

/**
 * The Help Scout id of the thread and the files it holds, read back (logged when the id was not known);
 * null (the thread failed) when it is not there.
 */
async function findThreadId(
  ctx: SendContext,
  part: PartRecord,
  thread: PartThread,
): Promise<{ id: number; files: number } | null> {
  const conversationId = part.hsConversationId as number;
  if (thread.hsThreadId !== null) {
    for await (const t of ctx.client.listThreads(conversationId)) {
      if (t.id === thread.hsThreadId) return { id: t.id, files: t._embedded?.attachments?.length ?? 0 };
    }
  }
  const found = await findThread(ctx.client, conversationId, {
    type: shapeOf(ctx, thread).inlineType,
    text: sentText(thread.row, shapeOf(ctx, thread)),
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
    return { id: found.id, files: found.files };
  }
  const error = 'the thread to attach its files to is not in its conversation';
  ctx.writes.record(part.id, 'find-thread', [thread.id], conversationId, { kind: 'not-found', error }, () =>
    ctx.parts.threadsFailed([thread.id], error),
  );
  ctx.stats.threadsFailed += 1;
  return null;
}
