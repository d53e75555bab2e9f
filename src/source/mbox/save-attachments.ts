import { createHash, randomBytes } from 'node:crypto';
import { mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Attachment } from 'postal-mime';
import type { AttachmentRef } from '../types.js';

/** Characters no file system takes well; a name is also cut to a length every file system accepts. */
const UNSAFE_NAME = /[\p{Cc}/\\:*?"<>|]+/gu;
const MAX_NAME_LENGTH = 150;

/** The file's name as the message gives it, made safe to write; `attachment-N` for a nameless part. */
export function safeFileName(name: string | null, position: number): string {
  const cleaned = (name ?? '')
    .replace(UNSAFE_NAME, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (cleaned === '') return `attachment-${position}`;
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  const extension = path.extname(cleaned).slice(0, 16);
  return cleaned.slice(0, MAX_NAME_LENGTH - extension.length) + extension;
}

function bytesOf(content: Attachment['content']): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof ArrayBuffer) return Buffer.from(content);
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/**
 * Writes a message's files under `dir`, each at `<sha-256 of its bytes>/<its name>`: the same file read again
 * (a rerun, a resumed import) lands on the same path and is not written twice, and two files of one name never
 * collide. A file is written beside its final name and renamed, so a crash never leaves half a file there.
 */
export async function saveAttachments(
  dir: string,
  label: string,
  attachments: readonly Attachment[],
): Promise<AttachmentRef[]> {
  const refs: AttachmentRef[] = [];
  for (const [n, attachment] of attachments.entries()) {
    const bytes = bytesOf(attachment.content);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const fileName = safeFileName(attachment.filename, n + 1);
    const folder = path.join(dir, hash);
    const target = path.join(folder, fileName);
    const existing = await stat(target).catch(() => undefined);
    if (existing?.size !== bytes.length) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const temp = `${target}.${randomBytes(6).toString('hex')}.part`;
      try {
        await writeFile(temp, bytes, { mode: 0o600 });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    }
    refs.push({
      path: target,
      relPath: `${label}/${fileName}`,
      fileName,
      mimeType: attachment.mimeType || 'application/octet-stream',
      size: bytes.length,
      // The folder the file must still be inside when it is read to be sent.
      root: await realpath(dir),
    });
  }
  return refs;
}
