/**
 * HTML bodies as Help Scout shows them: kept as HTML, less what could run or restyle the page. A deliberately
 * small filter: script, style and embedding elements go with their content, event handlers and `javascript:`
 * links go; the rest is left to Help Scout's own rendering.
 */

const DROPPED_WITH_CONTENT =
  /<(script|style|iframe|object|embed|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const DROPPED_TAGS =
  /<\/?(?:script|style|iframe|object|embed|noscript|template|link|meta|base|form)\b[^>]*>/gi;
const COMMENTS = /<!--[\s\S]*?-->/g;
const EVENT_HANDLERS = /\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;
const SCRIPT_URLS =
  /\s+(href|src|action|formaction|xlink:href)\s*=\s*(["']?)\s*(?:javascript|vbscript|data):[^"'\s>]*\2/gi;

export function sanitizeHtml(html: string): string {
  if (html.indexOf('<') === -1) return html;
  return html
    .replace(COMMENTS, '')
    .replace(DROPPED_WITH_CONTENT, '')
    .replace(DROPPED_TAGS, '')
    .replace(EVENT_HANDLERS, '')
    .replace(SCRIPT_URLS, ' $1="#"');
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

const SEMICOLON = 0x3b;
const HASH = 0x23;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** The first index from `from` whose character fails `test` (the text's length at most). */
function skip(text: string, from: number, test: (c: number) => boolean): number {
  let i = from;
  while (i < text.length && test(text.charCodeAt(i))) i += 1;
  return i;
}

/**
 * Where the `;` of an entity starting at `amp` is, or -1: `&#` digits, `&#x` hex digits or `&` letters (ASCII,
 * any case), then `;`, the one form a reference takes here.
 */
function entityEnd(text: string, amp: number): number {
  const c = text.charCodeAt(amp + 1);
  let end: number;
  if (c === HASH) {
    const d = text.charCodeAt(amp + 2);
    if (isDigit(d)) end = skip(text, amp + 3, isDigit);
    else if ((d === 0x78 || d === 0x58) && isHexDigit(text.charCodeAt(amp + 3)))
      end = skip(text, amp + 4, isHexDigit);
    else return -1;
  } else if (isLetter(c)) end = skip(text, amp + 2, isLetter);
  else return -1;
  return text.charCodeAt(end) === SEMICOLON ? end : -1;
}

/** What the reference `&name;` stands for, or the reference as written when it names no character. */
function decodeOne(match: string, name: string): string {
  if (name[0] === '#') {
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  }
  // Own names only: `&constructor;` names no character, however an object's prototype answers.
  const key = name.toLowerCase();
  return Object.hasOwn(ENTITIES, key) ? (ENTITIES[key] as string) : match;
}

/**
 * Plain text that carries HTML entities (Zendesk's `plain_body`): the entities decoded, nothing else. Scanned by
 * hand from `&` to `&`: this runs on every message, and a regular expression's replace callback cost more.
 */
export function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let copied = 0;
  while (amp !== -1) {
    const end = entityEnd(text, amp);
    if (end === -1) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    out += text.slice(copied, amp) + decodeOne(text.slice(amp, end + 1), text.slice(amp + 1, end));
    copied = end + 1;
    amp = text.indexOf('&', copied);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
