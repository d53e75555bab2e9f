import type { Store } from '../store.js';
import type { StoredAttachment } from '../types.js';
import { given, isObject, type Problems, readRequiredText } from './problems.js';

/** Strict base64 as java.util.Base64's basic decoder reads it: no whitespace, correct padding. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

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
  else if (!BASE64.test(data)) p.add(`${at}.data`, 'must be base64-encoded', `${data.slice(0, 40)}`);
  if (p.list.length > before || typeof data !== 'string') return undefined;
  return {
    id: store.allocate('attachment'),
    fileName,
    mimeType,
    data,
    size: Buffer.from(data, 'base64').length,
  };
}
