/**
 * How a body may come back when the server does not store it as sent (the worse answer of an open question):
 * void `<br>` tags in XHTML form, the two quote entities unescaped, CRLF as LF, trailing blanks of lines cut.
 * `&amp;`, `&lt;` and `&gt;` stay, so the HTML still means the same.
 */
export function rewriteBody(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, '<br />')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '');
}
