import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html.js';

const CSS = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9dee3; --bg: #f5f7f9; --link: #1f5fbf; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #16324f; color: #fff; padding: .6rem 1.5rem; display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
header strong { font-size: 1.05rem; }
header a { color: #cfe3ff; text-decoration: none; }
header a:hover { text-decoration: underline; }
header .note { color: #9fb6cf; font-size: .85rem; margin-left: auto; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
a { color: var(--link); }
h1 { font-size: 1.4rem; margin: .6rem 0 .3rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
nav.crumbs { font-size: .9rem; color: var(--muted); }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f4; font-weight: 600; font-size: .85rem; color: var(--muted); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.subject { overflow-wrap: anywhere; min-width: 14rem; }
td.when { white-space: nowrap; }
.muted { color: var(--muted); font-size: .9em; }
.tag { display: inline-block; white-space: nowrap; background: #e6eef8; color: #23466e; border-radius: 9px; padding: 0 .5rem; margin: 0 .2rem .1rem 0; font-size: .8rem; }
.status { display: inline-block; border-radius: 4px; padding: 0 .45rem; font-size: .8rem; font-weight: 600; }
.status-active { background: #dff3e4; color: #1d6b34; }
.status-pending { background: #fdf0d5; color: #8a5a00; }
.status-closed { background: #e9ebee; color: #4a5561; }
.parts a, .parts b { margin-right: .35rem; }
.bad { color: #a61b1b; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; border: 1px solid var(--line); padding: .7rem 1rem; margin: .6rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.threads { list-style: none; padding: 0; margin: 0; }
article.thread { background: #fff; border: 1px solid var(--line); border-left: 4px solid #7b8794; border-radius: 4px; margin: .7rem 0; }
article.by-customer { border-left-color: #3a7bd5; }
article.by-user { border-left-color: #2f9e5b; }
article.type-note { background: #fffbe6; border-left-color: #d9a400; }
article.thread > div.head { display: flex; gap: .8rem; flex-wrap: wrap; align-items: baseline; padding: .45rem .8rem; border-bottom: 1px solid #eef1f4; font-size: .9rem; }
.kind { font-weight: 700; text-transform: uppercase; font-size: .72rem; letter-spacing: .04em; color: var(--muted); }
.author { font-weight: 600; }
time { color: var(--muted); margin-left: auto; font-variant-numeric: tabular-nums; }
div.body { padding: .6rem .8rem; overflow-wrap: anywhere; }
div.body blockquote { border-left: 3px solid var(--line); margin: .4rem 0; padding-left: .7rem; color: var(--muted); }
div.body pre { white-space: pre-wrap; }
ul.files { margin: 0; padding: .2rem .8rem .6rem 2rem; font-size: .9rem; }
.pager { margin: .8rem 0; display: flex; gap: 1rem; }
`;

/** Only this stylesheet may apply (by hash): nothing inline from a body, nothing from the network. */
const STYLE_HASH = createHash('sha256').update(CSS).digest('base64');

export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
};

/** The page shell: every page of the view shares its header and stylesheet. */
export function layout(title: string, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · hs-import emulator</title>
<style>${new SafeHtml(CSS)}</style>
</head>
<body>
<header><strong>hs-import emulator</strong><a href="/">Mailboxes</a><a href="/requests">Requests and faults</a><span class="note">read-only view of the emulated account · API at /v2/</span></header>
<main>
${content}
</main>
</body>
</html>
`.text;
}
