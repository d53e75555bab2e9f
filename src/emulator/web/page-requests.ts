import type { RecentRequest } from '../stats.js';
import { html, type SafeHtml } from './html.js';
import type { Page } from './page-mailboxes.js';
import type { WebSource } from './source.js';

/** Answers an operator should notice: errors, 429s and the connections the faults cut. */
function outcomeCell(outcome: RecentRequest['outcome']): SafeHtml {
  const bad = typeof outcome !== 'number' || outcome >= 400;
  return bad ? html`<span class="bad">${outcome}</span>` : html`${outcome}`;
}

export function requestsPage(source: WebSource): Page {
  const s = source.stats.snapshot();
  const faults = source.faults();
  const byRoute = Object.entries(s.requests)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([route, byStatus]) =>
        html`<tr><td>${route}</td><td>${Object.entries(byStatus).map(([status, n]) => html`${outcomeCell(Number(status) || (status as RecentRequest['outcome']))} × ${n}<br>`)}</td></tr>`,
    );
  const recent = source.stats.recent().map(
    (r) =>
      html`<tr><td><time>${new Date(r.atMs)
        .toISOString()
        .replace('T', ' ')
        .replace(
          /\.\d+Z$/,
          ' UTC',
        )}</time></td><td>${r.route.split(' ')[0]}</td><td class="subject">${r.path}</td><td>${outcomeCell(r.outcome)}</td></tr>`,
  );
  const faultRows = Object.entries(s.faults).map(
    ([kind, n]) => html`<tr><td>${kind}</td><td class="num">${n}</td></tr>`,
  );
  return {
    status: 200,
    title: 'Requests and faults',
    content: html`<h1>Requests and faults</h1>
<dl class="facts">
<dt>API requests</dt><dd>${s.totalRequests}</dd>
<dt>Points spent</dt><dd>${s.pointsSpent} (budget ${source.rateLimitPerMinute} a minute)</dd>
<dt>Refused (429)</dt><dd>${s.rateLimited}</dd>
<dt>Fault injection</dt><dd>${faults ? html`<code>${JSON.stringify(faults)}</code>` : html`<span class="muted">off</span>`}</dd>
</dl>
<h2>Faults injected</h2>
<table><thead><tr><th>Fault</th><th>Count</th></tr></thead><tbody>${faultRows}</tbody></table>
<h2>Requests by route</h2>
<table><thead><tr><th>Route</th><th>Answers</th></tr></thead><tbody>${byRoute}</tbody></table>
<h2>Latest requests, newest first</h2>
<p class="muted">dropped: committed, then the connection was cut; reset and stalled: nothing done. The view's own pages are not counted.</p>
<table><thead><tr><th>Time</th><th>Method</th><th>Path</th><th>Answer</th></tr></thead><tbody>${recent}</tbody></table>`,
  };
}
