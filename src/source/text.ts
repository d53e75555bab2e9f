/** Message text: plain text → the HTML the API takes, and repair of double-encoded UTF-8. */

// Only what HTML needs: Help Scout may store quotes unescaped, and a read-back compares what a reader sees.
const HTML_SPECIALS_AND_BREAKS = ['&', '<', '>', '\n', '\r'];

/** Where the first character plainTextToHtml changes is, or the text's length: indexOf each is the quickest. */
function firstSpecial(text: string): number {
  let first = text.length;
  for (const special of HTML_SPECIALS_AND_BREAKS) {
    const at = text.indexOf(special);
    if (at !== -1 && at < first) first = at;
  }
  return first;
}

/** What stands for one character of plain text in HTML, or undefined for itself (a CR is handled apart). */
function htmlFor(c: number): string | undefined {
  switch (c) {
    case 0x0a:
      return '<br>';
    case 0x26:
      return '&amp;';
    case 0x3c:
      return '&lt;';
    case 0x3e:
      return '&gt;';
    default:
      return undefined;
  }
}

/**
 * Help Scout treats `text` as HTML and drops plain newlines: escape the specials, keep breaks (CRLF, CR, LF)
 * as `<br>`. Scanned by hand from the first special: this runs on every message, and a regular expression's
 * replace callback cost more.
 */
export function plainTextToHtml(text: string): string {
  const first = firstSpecial(text);
  if (first === text.length) return text;
  let out = '';
  let copied = 0;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let html: string | undefined;
    let next = i + 1;
    if (c === 0x0d) {
      html = '<br>';
      if (text.charCodeAt(next) === 0x0a) next += 1;
    } else html = htmlFor(c);
    if (html === undefined) continue;
    out += text.slice(copied, i) + html;
    copied = next;
    i = next - 1;
  }
  return out + text.slice(copied);
}

/**
 * UTF-8 read as Latin-1 and saved as UTF-8 again turns "é" into "Ã©" and 🙂 into "ð" + C1 controls. Such a
 * value is made only of code points ≤ U+00FF and contains a lead byte (U+00C2–U+00F4) followed by a
 * continuation byte (U+0080–U+00BF).
 */
const MOJIBAKE_HINT = /[\u00c2-\u00f4][\u0080-\u00bf]/;
const BEYOND_LATIN1 = /[\u0100-\uffff]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Undoes that damage when it is certain: the value's Latin-1 bytes must decode as valid UTF-8. Genuine
 * Latin-1 text ("café", "Müller") is not valid UTF-8 as bytes, so it is left alone.
 */
export function repairMojibake(value: string): string {
  if (!MOJIBAKE_HINT.test(value) || BEYOND_LATIN1.test(value)) return value;
  try {
    return strictUtf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

/** U+FFFD is what a UTF-8 decoder puts where the bytes were not UTF-8; NUL is never in text. */
const NUL_OR_BAD_UTF8 = /[\0\ufffd]/;

/** What makes a cell unreadable as text, or undefined. Read as Latin-1, every byte is a character. */
export function cellProblem(cell: string, encoding: 'utf8' | 'latin1'): string | undefined {
  if (!NUL_OR_BAD_UTF8.test(cell)) return undefined;
  if (cell.includes('\0')) return 'contains a NUL byte: binary data, or a file in another encoding (UTF-16?)';
  if (encoding === 'utf8')
    return 'is not valid UTF-8: if the export is Latin-1 (Windows-1252), set source.encoding to "latin1"';
  return undefined;
}
