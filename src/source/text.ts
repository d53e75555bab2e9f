/** Message text: plain text → the HTML the API takes, and repair of double-encoded UTF-8. */

// Only what HTML needs: Help Scout may store quotes unescaped, and a read-back compares what a reader sees.
const HTML_SPECIAL_OR_BREAK = /\r\n|[\r\n&<>]/g;
const NEEDS_HTML_WORK = /[\r\n&<>]/;
const REPLACEMENTS: Record<string, string> = {
  '\r\n': '<br>',
  '\r': '<br>',
  '\n': '<br>',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

/** Help Scout treats `text` as HTML and drops plain newlines: escape the specials, keep breaks as `<br>`. */
export function plainTextToHtml(text: string): string {
  if (!NEEDS_HTML_WORK.test(text)) return text;
  return text.replace(HTML_SPECIAL_OR_BREAK, (match) => REPLACEMENTS[match] ?? match);
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
