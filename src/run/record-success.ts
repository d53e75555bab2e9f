import type { PartRecord, PartThread } from '../state/parts.js';
import type { SendContext } from './send-context.js';
import { filesToSend } from './thread-files.js';

/**
 * Each kind of success recorded in one place, whether Help Scout answered the write or a read-back found it:
 * the outcome and its effect on the parts (one transaction), the ids this state file knows, the counters and
 * the log line. `resolution` says how an in-doubt write was settled.
 */

/** The conversation exists: the part gets its id; `created` are the threads sent inline in it. */
export function recordConversationCreated(
  ctx: SendContext,
  part: PartRecord,
  writeId: number,
  id: number,
  created: readonly PartThread[],
  resolution?: string,
): void {
  const threadIds = created.map((t) => t.id);
  // A thread with files is done once they are all seen there: files that followed its create are uploaded
  // one by one, and files sent inline may have been dropped (uploadAttachments checks, and uploads them).
  const done = created.filter((t) => filesToSend(t.row).length === 0).map((t) => t.id);
  ctx.writes.finish(writeId, { kind: 'created', resourceId: id, resolution }, () =>
    ctx.parts.conversationCreated(part.id, id, done),
  );
  ctx.knownConversationIds.add(id);
  ctx.stats.threadsImported += done.length;
  ctx.stats.partsCreated += 1;
  ctx.log.info({
    event: 'conversation.created',
    conversation: part.conversationKey,
    part: part.partNo,
    id,
    threads: threadIds.length,
    ...(resolution ? { resolution } : {}),
  });
}

/** A thread appended to the part's conversation. */
export function recordThreadCreated(
  ctx: SendContext,
  part: PartRecord,
  writeId: number,
  thread: PartThread,
  hsThreadId: number | undefined,
  resolution?: string,
): void {
  // Sent without its files (too large for a thread endpoint): done once they follow.
  const filesFollow = appendsWithoutFiles(ctx, thread);
  ctx.writes.finish(writeId, { kind: 'created', resourceId: hsThreadId ?? null, resolution }, () =>
    ctx.parts.threadCreated(thread.id, hsThreadId ?? null, filesFollow),
  );
  if (!filesFollow) ctx.stats.threadsImported += 1;
  ctx.log.debug({
    event: 'thread.created',
    conversation: part.conversationKey,
    thread: thread.id,
    id: hsThreadId,
    ...(resolution ? { resolution } : {}),
  });
}

/** One file of a thread whose files follow its create; with the last one, the thread is done. */
export function recordAttachmentUploaded(
  ctx: SendContext,
  part: PartRecord,
  writeId: number,
  thread: PartThread,
  resolution?: string,
): void {
  const files = filesToSend(thread.row).length;
  const complete = ctx.writes.finish(writeId, { kind: 'created', resourceId: null, resolution }, () => {
    const all = ctx.writes.attachmentsUploaded(thread.id) >= files;
    if (all) ctx.parts.threadComplete(thread.id);
    return all;
  });
  if (complete) ctx.stats.threadsImported += 1;
  ctx.log.debug({
    event: 'attachment.uploaded',
    conversation: part.conversationKey,
    thread: thread.id,
    complete,
    ...(resolution ? { resolution } : {}),
  });
}

/**
 * Whether an appended thread goes without its files, uploaded one by one after it: when with them it would
 * pass `target.maxThreadRequestBytes`, or Help Scout already refused it as too large (413; the thread
 * endpoints may keep the old 100 KB). Decided from the thread and the log, so a read-back decides the same.
 */
export function appendsWithoutFiles(ctx: SendContext, thread: PartThread): boolean {
  if (filesToSend(thread.row).length === 0) return false;
  // Decided before its first write (files downloaded, or changed since staging) and kept in the state.
  if (thread.attachmentsLater) return true;
  return thread.bytes > ctx.target.maxThreadRequestBytes || ctx.writes.refusedTooLarge(thread.id);
}
