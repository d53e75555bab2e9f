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
const ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z]+);/gi;

/** Plain text that carries HTML entities (Zendesk's `plain_body`): the entities decoded, nothing else. */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(ENTITY, (match, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return ENTITIES[name.toLowerCase()] ?? match;
  });
}
