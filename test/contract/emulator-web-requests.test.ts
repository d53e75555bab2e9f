import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationBody, openSession } from './emulator-helpers.js';
import { eventHandlers, web } from './emulator-web-helpers.js';

test('the requests page shows what the API answered, the faults it injected, and the latest requests', async () => {
  const s = await openSession();
  try {
    assert.equal((await s.call('GET', 'mailboxes')).status, 200);
    const hostile = await s.call('GET', 'conversations?query=<script>alert(1)</script>');
    assert.equal(hostile.status, 400, 'not a query the API reads, but recorded all the same');
    s.emu.setFaults({ seed: 3, serverErrorBeforeCommit: 1 });
    const failed = await s.call('POST', 'conversations', conversationBody());
    assert.ok(failed.status >= 500);
    s.emu.setFaults(undefined);

    const page = (await web(s.emu, '/requests')).text;
    const stats = s.emu.stats();
    assert.ok(page.includes(`<dt>API requests</dt><dd>${stats.totalRequests}</dd>`));
    assert.ok(page.includes(`<tr><td>serverError</td><td class="num">1</td></tr>`));
    assert.ok(page.includes(`<td>GET /v2/mailboxes</td><td>200 × 1<br></td>`));
    assert.ok(page.includes(`<span class="bad">${failed.status}</span> × 1`), 'the 5xx stands out');
    assert.ok(page.includes('<span class="muted">off</span>'), 'faults are off again');
    // Newest first: the faulted create, then the search, then the mailboxes.
    const rows = [
      ...page.matchAll(/<tr><td><time>[^<]*<\/time><\/td><td>(\w+)<\/td><td class="subject">([^<]*)<\/td>/g),
    ];
    assert.deepEqual(
      rows.map((m) => `${m[1]} ${m[2]}`),
      [
        'POST /v2/conversations',
        'GET /v2/conversations?query=%3Cscript%3Ealert(1)%3C/script%3E',
        'GET /v2/mailboxes',
        'POST /v2/oauth2/token',
      ].slice(0, rows.length),
    );
    assert.ok(rows.length >= 3);
    assert.doesNotMatch(page, /<script/i);
    assert.deepEqual(eventHandlers(page), []);
  } finally {
    await s.close();
  }
});
