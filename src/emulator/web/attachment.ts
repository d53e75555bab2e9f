import type { StoredAttachment } from '../types.js';
import type { ReadOnlyStore } from './source.js';

export interface Download {
  headers: Record<string, string>;
  bytes: Buffer;
}

/** The attachment as it was uploaded, or undefined when the conversation has no such attachment. */
export function attachmentDownload(
  store: ReadOnlyStore,
  conversationId: number,
  attachmentId: number,
): Download | undefined {
  const c = store.conversations.get(conversationId);
  let found: Readonly<StoredAttachment> | undefined;
  for (const t of c?.threads ?? []) {
    found = t.attachments.find((a) => a.id === attachmentId);
    if (found) break;
  }
  if (!found) return undefined;
  const bytes = Buffer.from(found.data, 'base64');
  return {
    bytes,
    headers: {
      'Content-Type': /^[\w.+-]+\/[\w.+-]+$/.test(found.mimeType)
        ? found.mimeType
        : 'application/octet-stream',
      'Content-Disposition': contentDisposition(found.fileName),
      'Content-Length': String(bytes.length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // Downloaded, never run: even an HTML file from the export gets no script and no origin here.
      'Content-Security-Policy': "sandbox; default-src 'none'",
    },
  };
}

/** RFC 6266: an ASCII fallback name for old clients, the exact name as UTF-8 in `filename*`. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
