import { escapeHtml, SafeHtml } from './html.js';

/** Markup a thread body may keep: text formatting, lists, quotes, tables, links. Everything else goes. */
const ALLOWED = new Set(
  'a abbr b big blockquote br caption code dd del div dl dt em h1 h2 h3 h4 h5 h6 hr i ins li ol p pre q s small span strike strong sub sup table tbody td tfoot th thead tr tt u ul'.split(
    ' ',
  ),
);
const ENDS_ITS_SIBLING = new Set(['li', 'p', 'dt', 'dd', 'tr', 'td', 'th']);
const VOID = new Set(['br', 'hr', 'img', 'wbr']);
/** Dropped with everything inside them: code, styles, frames, forms' text, foreign content. */
const DROPPED = new Set(
  'script style iframe frame frameset object embed applet template noscript noembed noframes textarea title xmp plaintext svg math select option head'.split(
    ' ',
  ),
);
const ATTRIBUTES: Record<string, readonly string[]> = {
  a: ['href'],
  img: ['src', 'alt'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
  ol: ['start'],
};
const GLOBAL_ATTRIBUTES = ['title', 'dir', 'lang'];

const TAG =
  /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const TEXT_ENTITY = /&(?:[a-zA-Z][a-zA-Z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * A thread body as Help Scout shows it (the API stores HTML), made safe for this page: an allow-list of tags
 * and attributes re-written from what was parsed, links only to http(s), mailto and tel, text escaped except
 * its character references. What cannot be parsed as a tag is shown as text.
 */
export function sanitizeBody(body: string): SafeHtml {
  let out = '';
  const open: string[] = [];
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const textEnd = lt === -1 ? body.length : lt;
    if (textEnd > i) out += escapeText(body.slice(i, textEnd));
    if (lt === -1) break;
    i = lt;
    if (body.startsWith('<!--', i)) {
      const end = body.indexOf('-->', i + 4);
      i = end === -1 ? body.length : end + 3;
      continue;
    }
    if (body.startsWith('<!', i) || body.startsWith('<?', i)) {
      const end = body.indexOf('>', i);
      i = end === -1 ? body.length : end + 1;
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(body);
    if (!m) {
      out += '&lt;';
      i += 1;
      continue;
    }
    i = TAG.lastIndex;
    const closing = m[1] === '/';
    const name = (m[2] ?? '').toLowerCase();
    if (DROPPED.has(name)) {
      if (!closing) i = skipElement(body, name, i);
      continue;
    }
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at === -1) continue;
      while (open.length > at) out += `</${open.pop()}>`;
      continue;
    }
    if (name === 'img') {
      out += image(attributesOf('img', m[3] ?? ''));
      continue;
    }
    if (!ALLOWED.has(name)) continue;
    // `<li>one<li>two`: a new item ends the open one, as a browser reads it.
    if (ENDS_ITS_SIBLING.has(name) && open[open.length - 1] === name) out += `</${open.pop()}>`;
    const attrs = attributesOf(name, m[3] ?? '');
    const rendered = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
      .join('');
    out += `<${name}${rendered}${name === 'a' ? ' rel="noopener noreferrer nofollow"' : ''}>`;
    if (!VOID.has(name)) open.push(name);
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return new SafeHtml(out);
}

/** Escapes `<`, `>` and a bare `&`; keeps character references, which a browser turns into text only. */
function escapeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '&') {
      TEXT_ENTITY.lastIndex = i;
      out += TEXT_ENTITY.test(text) ? '&' : '&amp;';
    } else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else out += c;
  }
  return out;
}

/** Skips a dropped element and its content up to its end tag (or to the end of the body when unclosed). */
function skipElement(body: string, name: string, from: number): number {
  const end = new RegExp(`</${name}[\\s/>]`, 'ig');
  end.lastIndex = from;
  const m = end.exec(body);
  if (!m) return body.length;
  const gt = body.indexOf('>', m.index);
  return gt === -1 ? body.length : gt + 1;
}

/** The allowed attributes of a tag, their values decoded and checked. Event handlers and styles never pass. */
function attributesOf(tag: string, source: string): Record<string, string> {
  const allowed = [...(ATTRIBUTES[tag] ?? []), ...GLOBAL_ATTRIBUTES];
  const out: Record<string, string> = {};
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!allowed.includes(name) || name in out) continue;
    const value = decodeAttribute(m[2] ?? m[3] ?? m[4] ?? '');
    const checked = checkValue(name, value);
    if (checked !== undefined) out[name] = checked;
  }
  return out;
}

function checkValue(name: string, value: string): string | undefined {
  if (name === 'href' || name === 'src') return safeUrl(value);
  if (name === 'dir') return /^(ltr|rtl|auto)$/i.test(value) ? value.toLowerCase() : undefined;
  if (name === 'colspan' || name === 'rowspan' || name === 'start')
    return /^\d{1,4}$/.test(value) ? value : undefined;
  return value;
}

/**
 * A link target a reader may follow: http(s), mailto, tel, or relative. The check runs on the value as a
 * browser would read it (references decoded, control characters and spaces gone), so `java&#10;script:` fails.
 */
export function safeUrl(value: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers drop exactly these from URLs
  const cleaned = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase();
  if (scheme === undefined) return cleaned;
  return ['http', 'https', 'mailto', 'tel'].includes(scheme) ? cleaned : undefined;
}

/** Decodes the few references that matter in a value; any other stays literal (and is escaped on output). */
function decodeAttribute(value: string): string {
  return value.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));?/g, (whole, dec, hex, name) => {
    if (dec !== undefined || hex !== undefined) {
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[(name as string).toLowerCase()] ?? whole;
  });
}

/** Images are shown as links: the view loads nothing from the network. */
function image(attrs: Record<string, string>): string {
  const label = `[image${attrs.alt ? `: ${attrs.alt}` : ''}]`;
  if (!attrs.src) return escapeHtml(label);
  return `<a href="${escapeHtml(attrs.src)}" rel="noopener noreferrer nofollow">${escapeHtml(label)}</a>`;
}
