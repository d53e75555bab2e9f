import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { API_LIMITS } from '../api/api-types.js';
import { largestFileInRequest } from '../api/request-size.js';
import type { SourceConfig } from '../config/schema.js';
import { createHostMatcher, remoteFileName, urlProblem } from '../util/url-policy.js';
import type { FieldProblem } from './customer.js';
import type { AttachmentRef } from './types.js';

const MIME_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.bmp': 'image/bmp',
  '.heic': 'image/heic',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
};

export function mimeTypeOf(fileName: string): string {
  return MIME_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** Splits an `attachments` cell: `;`-separated, trimmed, empty entries dropped. */
export function splitList(cell: string | undefined): string[] {
  if (cell === undefined) return [];
  const items: string[] = [];
  for (const item of cell.split(';')) {
    const trimmed = item.trim();
    if (trimmed !== '') items.push(trimmed);
  }
  return items;
}

/**
 * Resolves an attachment inside `folder` (the CSV's folder, already a realpath). The real path is checked,
 * not the written one, so `..`, absolute paths and symlinks that lead out of the folder are all refused:
 * an export must not be able to make the importer upload arbitrary files. The bytes are read at send time.
 */
export async function resolveAttachment(
  folder: string,
  relPath: string,
): Promise<AttachmentRef | FieldProblem> {
  const field = 'attachments';
  if (path.isAbsolute(relPath))
    return { field, reason: `"${relPath}" is an absolute path; give it relative to the CSV's folder` };
  let real: string;
  try {
    real = await realpath(path.join(folder, relPath));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (path.relative(folder, path.resolve(folder, relPath)).startsWith('..')) {
      return { field, reason: `"${relPath}" is outside the CSV's folder` };
    }
    return {
      field,
      reason: code === 'ENOENT' ? `"${relPath}" does not exist` : `"${relPath}" cannot be read (${code})`,
    };
  }
  if (!real.startsWith(folder + path.sep))
    return { field, reason: `"${relPath}" is outside the CSV's folder` };
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) return { field, reason: `"${relPath}" is not a file` };
  // Help Scout refuses an attachment whose `data` is empty: caught here, not as a 400 that fails the thread.
  if (info.size === 0)
    return { field, reason: `"${relPath}" is empty (0 bytes): Help Scout refuses an empty file` };
  const fileName = path.basename(relPath);
  return { path: real, relPath, fileName, mimeType: mimeTypeOf(fileName), size: info.size, root: folder };
}

/** The most a file named by URL may have: what one upload request can carry (such files go one a request). */
export const MAX_URL_FILE_BYTES = largestFileInRequest(API_LIMITS.requestBytes);

export function isFileUrl(entry: string): boolean {
  return /^https?:\/\//i.test(entry);
}

/** What staging needs of `source.attachments`: whether URLs are kept, and which hosts they may name. */
export interface UrlFiles {
  fetch: boolean;
  isAllowedHost: (hostname: string) => boolean;
}

export function urlFilesOf(config: SourceConfig['attachments']): UrlFiles {
  return { fetch: config?.fetch ?? false, isAllowedHost: createHostMatcher(config?.allowHosts ?? []) };
}

/**
 * A file the export names by URL, kept as such: downloaded when its thread is sent, so its size is not known
 * yet and the most it may have stands for it (planning never under-estimates). A URL the downloader would
 * refuse (not https, a host not allowed) is refused here, so `validate` says so before `import` sends.
 * Without `fetch`, a refusal that names the key.
 */
export function urlAttachment(entry: string, files: UrlFiles): AttachmentRef | FieldProblem {
  const field = 'attachments';
  if (!files.fetch)
    return { field, reason: `"${entry}" is a URL: set source.attachments.fetch to download such files` };
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { field, reason: `"${entry}" is not a valid URL` };
  }
  const problem = urlProblem(url, files.isAllowedHost);
  if (problem) return { field, reason: `"${entry}": ${problem}` };
  const fileName = remoteFileName(url);
  return {
    path: '',
    relPath: entry,
    url: url.href,
    fileName,
    mimeType: mimeTypeOf(fileName),
    size: MAX_URL_FILE_BYTES,
  };
}
