import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { AttachmentBody } from '../api/api-types.js';
import { largestFileInRequest } from '../api/request-size.js';
import type { SourceConfig } from '../config/schema.js';
import { MAX_URL_FILE_BYTES } from '../source/attachments.js';
import type { AttachmentRef } from '../source/types.js';
import type { PartRecord, PartThread } from '../state/parts.js';
import type { Clock } from '../util/clock.js';
import { openInside } from './local-file.js';
import { AttachmentFetcher } from './remote-files/fetch-attachment.js';
import type { SendContext } from './send-context.js';

/** How files are had at send time: `source.attachments`, and the downloader when `fetch` is on. */
export interface FileSource {
  fetcher?: AttachmentFetcher;
  onMissing: 'fail' | 'link';
}

/**
 * The files of this run: with `fetch`, one downloader whose cache is `attachments-fetched/` beside the state
 * file, so that a rerun or a resumed import downloads nothing again.
 */
export function openFileSource(
  config: SourceConfig['attachments'],
  stateFile: string,
  clock: Clock,
): FileSource {
  const onMissing = config?.onMissing ?? 'fail';
  if (!config?.fetch) return { onMissing };
  const cacheDir = path.join(path.dirname(stateFile), 'attachments-fetched');
  // No larger than one upload request can carry: such files always go one a request.
  const maxBytes = MAX_URL_FILE_BYTES;
  return {
    onMissing,
    fetcher: new AttachmentFetcher({ allowHosts: config.allowHosts, cacheDir, clock, maxBytes }),
  };
}

type Located = { ok: true; path: string; root: string | undefined; ref: AttachmentRef } | Problem;
type Problem = { ok: false; reason: string };
export type FileBody = { ok: true; body: AttachmentBody } | Problem;

/** The files a thread sends: all but those that went as links in its text. */
export function filesToSend(row: { attachments: readonly AttachmentRef[] }): AttachmentRef[] {
  return row.attachments.filter((a) => a.linked === undefined);
}

/** How a file is named in a reason: as the export wrote it. */
export function fileLabel(ref: AttachmentRef): string {
  return `attachment "${ref.relPath}"`;
}

/** Where a file's bytes are now: the export's file, or the download of its URL (fetched once, then cached). */
async function locate(ctx: SendContext, ref: AttachmentRef): Promise<Located> {
  if (ref.url === undefined) return { ok: true, path: ref.path, root: ref.root, ref };
  const fetcher = ctx.files?.fetcher;
  if (fetcher === undefined) return { ok: false, reason: 'is a URL, and source.attachments.fetch is off' };
  const got = await fetcher.fetch(ref.url, ctx.stop);
  if (!got.ok) return { ok: false, reason: `could not be downloaded: ${got.reason}` };
  const root = await realpath(path.dirname(got.path));
  return { ok: true, path: got.path, root, ref: { ...ref, fileName: got.fileName, mimeType: got.mimeType } };
}

/** A file of a thread whose files follow it goes alone: it must fit one request to a thread endpoint. */
function tooLarge(ctx: SendContext, size: number): string | undefined {
  const max = largestFileInRequest(ctx.target.maxThreadRequestBytes);
  if (size <= max) return undefined;
  return `has ${size} bytes now, more than the ${max} one request can carry`;
}

/** Whether a file can be sent as it is now, and its size; a download happens here (and is kept). */
export async function checkFile(
  ctx: SendContext,
  ref: AttachmentRef,
): Promise<{ ok: true; size: number } | Problem> {
  const where = await locate(ctx, ref);
  if (!where.ok) return where;
  const opened = await openInside(where.path, where.root);
  if (!opened.ok) return opened;
  await opened.handle.close();
  const large = tooLarge(ctx, opened.size);
  return large ? { ok: false, reason: large } : { ok: true, size: opened.size };
}

/** A file's bytes for a request, read from what was opened and checked (never from the path again). */
export async function readFileBody(ctx: SendContext, ref: AttachmentRef): Promise<FileBody> {
  const where = await locate(ctx, ref);
  if (!where.ok) return where;
  const opened = await openInside(where.path, where.root);
  if (!opened.ok) return opened;
  try {
    const large = ref.size !== opened.size ? tooLarge(ctx, opened.size) : undefined;
    if (large) return { ok: false, reason: large };
    const data = (await opened.handle.readFile()).toString('base64');
    return { ok: true, body: { fileName: where.ref.fileName, mimeType: where.ref.mimeType, data } };
  } finally {
    await opened.handle.close();
  }
}

/** A thread failed by one of its files, before (or instead of) a write: the reason, and a line in the log. */
export function failedByFile(ctx: SendContext, part: PartRecord, thread: PartThread, reason: string): void {
  ctx.parts.threadsFailed([thread.id], reason);
  ctx.stats.threadsFailed += 1;
  ctx.log.warn({
    event: 'thread.failed',
    conversation: part.conversationKey,
    thread: thread.id,
    row: `${thread.row.pos.file} row ${thread.row.pos.row}`,
    error: reason,
  });
}

/**
 * A thread's files as they are now, checked before its first write: a file deleted, grown past what a
 * request carries, emptied, swapped for a link out of the export's folder, or not downloadable fails the
 * thread with the reason (its siblings go on). With `onMissing: link`, a download that fails makes the file
 * a link in the thread's text. A file that changed since staging, or was downloaded, goes after the thread,
 * one a request. The decisions are kept in the state before the write. `inline`: the files go in the
 * thread's own request, read here. False: the thread failed (recorded).
 */
export async function prepareThreadFiles(
  ctx: SendContext,
  part: PartRecord,
  thread: PartThread,
  inline: boolean,
): Promise<{ bodies?: AttachmentBody[] } | false> {
  const files = thread.row.attachments;
  if (files.length === 0) return {};
  let linked = false;
  let follow = thread.attachmentsLater;
  const decided: AttachmentRef[] = [];
  for (const ref of files) {
    if (ref.linked !== undefined) {
      decided.push(ref);
      continue;
    }
    const check = await checkFile(ctx, ref);
    if (!check.ok && ref.url !== undefined && ctx.files?.onMissing === 'link') {
      ctx.log.warn({ event: 'attachment.linked', thread: thread.id, url: ref.url, reason: check.reason });
      decided.push({ ...ref, linked: check.reason });
      linked = true;
      continue;
    }
    if (!check.ok) {
      failedByFile(ctx, part, thread, `${fileLabel(ref)} ${check.reason}`);
      return false;
    }
    if (ref.url !== undefined || check.size !== ref.size) follow = true;
    decided.push(ref);
  }
  if (linked || follow !== thread.attachmentsLater) {
    ctx.parts.filesDecided(thread.id, decided, follow);
    thread.row.attachments = decided;
    thread.attachmentsLater = follow;
  }
  if (!inline || follow) return {};
  const bodies: AttachmentBody[] = [];
  for (const ref of filesToSend(thread.row)) {
    const read = await readFileBody(ctx, ref);
    if (!read.ok) {
      failedByFile(ctx, part, thread, `${fileLabel(ref)} ${read.reason}`);
      return false;
    }
    bodies.push(read.body);
  }
  return bodies.length > 0 ? { bodies } : {};
}
