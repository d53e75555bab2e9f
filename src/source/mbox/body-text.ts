import type { Email } from 'postal-mime';

/**
 * An email's HTML part reduced to what belongs in a Help Scout thread: the body's content, without the head,
 * styles, scripts or comments (mail clients fill those with layout that would leak into the thread as text).
 */
const DROPPED_BLOCKS = /<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const BODY = /<body\b[^>]*>([\s\S]*?)(?:<\/body\s*>|$)/i;
const WRAPPERS = /<\/?(?:!doctype|html|body|meta|link|base)\b[^>]*>/gi;
const EVENT_ATTRIBUTES = /\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

export function emailHtmlBody(html: string): string {
  const withoutBlocks = html.replace(DROPPED_BLOCKS, '');
  const body = BODY.exec(withoutBlocks)?.[1] ?? withoutBlocks;
  return body.replace(WRAPPERS, '').replace(EVENT_ATTRIBUTES, '').trim();
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUnlabelled(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/**
 * Old mailers wrote `Content-Type: text` (no subtype), which the MIME parser takes for a nameless attachment.
 * When a message has no text otherwise, such a part is its text (UTF-8 if it decodes as such, else Latin-1).
 */
export function adoptBareTextPart(email: Email): Email {
  if (email.text?.trim() || email.html?.trim()) return email;
  const index = email.attachments.findIndex(
    (part) =>
      part.filename === null &&
      part.disposition !== 'attachment' &&
      (part.mimeType === 'text' || part.mimeType === 'text/plain'),
  );
  const part = email.attachments[index];
  if (part === undefined) return email;
  const content = part.content;
  const text =
    typeof content === 'string'
      ? content
      : decodeUnlabelled(content instanceof ArrayBuffer ? new Uint8Array(content) : content);
  return { ...email, text, attachments: email.attachments.filter((_, n) => n !== index) };
}
