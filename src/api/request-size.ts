/** Where a thread's file is, as far as its size in a request goes. */
interface SizedAttachment {
  fileName: string;
  mimeType: string;
  size: number;
}

/**
 * Room for the fields whose values are known only at send time: type, user id, createdAt, keys, and the
 * customer reference (an id, or an email of at most 254 characters).
 */
const THREAD_OVERHEAD_BYTES = 420;
const ATTACHMENT_OVERHEAD_BYTES = 64;

export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** The largest file one upload request of `requestBytes` can carry (base64 in JSON, with its name and type). */
export function largestFileInRequest(requestBytes: number): number {
  return Math.floor((requestBytes - 1024) / 4) * 3;
}

/** Bytes a thread adds to a JSON request body: an upper estimate, so a planned request never exceeds the limit. */
export function estimateThreadBytes(thread: {
  text: string;
  attachments: readonly SizedAttachment[];
}): number {
  let bytes = THREAD_OVERHEAD_BYTES + jsonStringBytes(thread.text);
  for (const a of thread.attachments) {
    bytes +=
      ATTACHMENT_OVERHEAD_BYTES +
      jsonStringBytes(a.fileName) +
      jsonStringBytes(a.mimeType) +
      base64Length(a.size);
  }
  return bytes;
}

/** What JSON.stringify escapes (quote, backslash, controls) and UTF-16 surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const ESCAPED_OR_SURROGATE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * UTF-8 bytes of a string once JSON-encoded (quotes and escapes included): Buffer.byteLength(JSON.stringify(
 * value)), counted without building the encoded string (a test holds the two equal).
 */
export function jsonStringBytes(value: string): number {
  // Most text has nothing JSON escapes and no surrogate (whose lone half JSON escapes): then its UTF-8 length,
  // measured natively, plus the quotes is the answer, without a loop over every character here.
  if (!ESCAPED_OR_SURROGATE.test(value)) return 2 + Buffer.byteLength(value, 'utf8');
  let bytes = 2;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x80) bytes += c === 0x22 || c === 0x5c ? 2 : 1;
    else if (c < 0x20) bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c < 0x800) bytes += 2;
    else if (c < 0xd800 || c > 0xdfff) bytes += 3;
    else if (c <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      bytes += 4;
      i += 1;
    } else bytes += 6; // a lone surrogate: escaped as \udXXX
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Whether a thread may need more than `limit` bytes (estimateThreadBytes), told without encoding it: never
 * false for one that does. Its text alone takes at most 6 bytes a UTF-16 unit once escaped (\uXXXX).
 */
export function mayExceedBytes(
  thread: { text: string; attachments: readonly unknown[] },
  limit: number,
): boolean {
  return thread.attachments.length > 0 || THREAD_OVERHEAD_BYTES + 2 + 6 * thread.text.length > limit;
}

/**
 * Bytes of Create Conversation beyond its threads (subject, mailbox, status, dates, keys, customer, tags): an
 * upper estimate, the one the planner and the sender both size requests with.
 */
export function estimateEnvelopeBytes(envelope: { customer: unknown; tags: readonly string[] }): number {
  let bytes = ENVELOPE_OVERHEAD_BYTES + jsonStringBytes(JSON.stringify(envelope.customer));
  for (const tag of envelope.tags) bytes += jsonStringBytes(tag) + 1;
  return bytes;
}

/** Subject (at most 255 characters, up to 6 bytes each once escaped) and the fixed fields. */
const ENVELOPE_OVERHEAD_BYTES = 2048;

/** The request bodies a run may send, as configured (`target.maxRequestBytes`, `target.maxThreadRequestBytes`). */
export interface RequestLimits {
  /** Create Conversation. */
  createBytes: number;
  /** A thread endpoint, and one file's upload. */
  threadBytes: number;
}

/** Room kept in Create Conversation for its envelope: the fixed fields and a customer and tags of ordinary size. */
const ENVELOPE_ROOM_BYTES = ENVELOPE_OVERHEAD_BYTES + 2048;

/**
 * Why a message cannot be sent within these limits, or undefined when it can. Its text must fit both as a
 * part's first thread (in Create Conversation) and as an appended one, since planning may make it either; each
 * file must fit one upload, since a file that does not fit beside the text follows on its own.
 */
export function requestLimitProblem(
  thread: { text: string; attachments: readonly SizedAttachment[] },
  limits: RequestLimits,
): { field: string; reason: string } | undefined {
  const inCreate = limits.createBytes - ENVELOPE_ROOM_BYTES;
  const textLimit = Math.min(inCreate, limits.threadBytes);
  if (mayExceedBytes({ text: thread.text, attachments: [] }, textLimit)) {
    const textBytes = estimateThreadBytes({ text: thread.text, attachments: [] });
    if (textBytes > textLimit) {
      const key = inCreate <= limits.threadBytes ? 'target.maxRequestBytes' : 'target.maxThreadRequestBytes';
      return {
        field: 'text',
        reason: `the message's text needs ${kib(textBytes)} KiB in a request, more than the ${kib(textLimit)} KiB a request may carry here (${key}): shorten it or split it into several rows`,
      };
    }
  }
  for (const a of thread.attachments) {
    const bytes =
      ATTACHMENT_OVERHEAD_BYTES +
      jsonStringBytes(a.fileName) +
      jsonStringBytes(a.mimeType) +
      base64Length(a.size);
    if (bytes > limits.threadBytes) {
      return {
        field: 'attachments',
        reason: `"${a.fileName}" needs ${kib(bytes)} KiB once encoded, more than the ${kib(limits.threadBytes)} KiB one upload may carry (target.maxThreadRequestBytes)`,
      };
    }
  }
  return undefined;
}

function kib(bytes: number): number {
  return Math.ceil(bytes / 1024);
}
