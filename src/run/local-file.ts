import { constants } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type OpenedFile = { ok: true; handle: FileHandle; size: number } | { ok: false; reason: string };

/** O_NOFOLLOW where the platform has it: a file turned into a symbolic link is not opened through it. */
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function inside(real: string, root: string | undefined, staged: string): boolean {
  // A state file of an older version kept no folder: the file must then be where staging found it.
  if (root === undefined) return real === staged;
  return real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Opens a file to send it, and proves it is still one staging would accept, now and not only when it was
 * staged: its real path, resolved at this moment, inside `root` (the export's folder); a regular file; not
 * empty. It is opened first and then compared (device and inode) with what the real path names, so a swap
 * between the check and the open is seen too. The caller closes the handle.
 */
export async function openInside(staged: string, root: string | undefined): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(staged, FLAGS);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return { ok: false, reason: 'no longer exists' };
    if (code === 'ELOOP') return { ok: false, reason: 'is now a symbolic link: refused' };
    return { ok: false, reason: `cannot be read (${code})` };
  }
  const refuse = async (reason: string): Promise<OpenedFile> => {
    await handle.close();
    return { ok: false, reason };
  };
  try {
    const real = await realpath(staged);
    if (!inside(real, root, staged)) return refuse("now leads outside the export's folder: refused");
    const [opened, named] = await Promise.all([handle.stat(), stat(real)]);
    if (opened.dev !== named.dev || opened.ino !== named.ino)
      return refuse('was replaced while it was being opened');
    if (!opened.isFile()) return refuse('is not a file');
    if (opened.size === 0) return refuse('is empty (Help Scout refuses an empty file)');
    return { ok: true, handle, size: opened.size };
  } catch (error) {
    return refuse(`cannot be read (${codeOf(error)})`);
  }
}
