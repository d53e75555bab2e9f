import type { Store } from '../store.js';
import type { StoredAttachment } from '../types.js';
import { given, isObject, type Problems, readRequiredText } from './problems.js';

/**
 * Strict base64 as java.util.Base64's basic decoder reads it: no whitespace, correct padding. A loop, not a
 * regular expression: a repeated group over a 4 MiB string overflows the regex engine's stack.
 */
export function isStrictBase64(data: string): boolean {
  if (data.length % 4 !== 0) return false;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const end = data.length - padding;
  for (let i = 0; i < end; i++) {
    const c = data.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!ok) return false;
  }
  return true;
}

/** `attachments: [{fileName, mimeType, data}]`, all three required; `mimeType` is kept as sent, unchecked. */
export function readAttachments(p: Problems, path: string, v: unknown, store: Store): StoredAttachment[] {
  if (!given(v)) return [];
  if (!Array.isArray(v)) {
    p.add(path, 'must be an array', v);
    return [];
  }
  return v.flatMap((item, i) => {
    const at = `${path}[${i}]`;
    const one = readAttachment(p, at, item, store);
    return one ? [one] : [];
  });
}

export function readAttachment(
  p: Problems,
  at: string,
  item: unknown,
  store: Store,
): StoredAttachment | undefined {
  if (!isObject(item)) {
    p.add(at, 'must be an object', item ?? null);
    return undefined;
  }
  const before = p.list.length;
  const fileName = readRequiredText(p, `${at}.fileName`, item.fileName);
  const mimeType = readRequiredText(p, `${at}.mimeType`, item.mimeType);
  const data = item.data;
  if (typeof data !== 'string' || data === '') p.add(`${at}.data`, 'may not be empty', data ?? null);
  else if (!isStrictBase64(data)) p.add(`${at}.data`, 'must be base64-encoded', `${data.slice(0, 40)}`);
  if (p.list.length > before || typeof data !== 'string') return undefined;
  return {
    id: store.allocate('attachment'),
    fileName,
    mimeType,
    data,
    size: Buffer.from(data, 'base64').length,
  };
}
