import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SEED } from '../../src/emulator/index.js';
import { createConversation, openSession, type Session } from './emulator-helpers.js';
import { eventHandlers, links, web } from './emulator-web-helpers.js';

const HOSTILE_SUBJECT = 'Refund <script>alert("s")</script><img src=x onerror=alert(1)> & co';
const HOSTILE_BODY =
  '<p>Hello <b>there</b></p><script>alert("b")</script><img src=x onerror="alert(2)">' +
  '<a href="javascript:alert(3)">bad link</a><a href="https://example.com/help" onclick="alert(4)">good link</a>';

describe('the web view pages', () => {
  let s: Session;
  let hostile: number;
  let ordered: number;

  before(async () => {
    s = await openSession();
    hostile = await createConversation(s, {
      subject: HOSTILE_SUBJECT,
      tags: ['<b>tag</b>'],
      threads: [{ type: 'chat', customer: { id: 501 }, text: HOSTILE_BODY }],
    });
    // Sent out of time order, then a thread older than all of them appended: the view reads oldest first.
    ordered = await createConversation(s, {
      subject: 'Order of threads',
      imported: true,
      threads: [
        { type: 'chat', customer: { id: 501 }, text: 'third', createdAt: '2024-01-01T10:03:00Z' },
        { type: 'reply', customer: { id: 501 }, user: 2, text: 'second', createdAt: '2024-01-01T10:02:00Z' },
      ],
    });
    const add = await s.call('POST', `conversations/${ordered}/notes`, {
      text: 'first',
      imported: true,
      createdAt: '2024-01-01T10:01:00Z',
    });
    assert.equal(add.status, 201);
  });
  after(() => s.close());

  it('lists the mailboxes, each with its conversations count and a link', async () => {
    const res = await web(s.emu, '/');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    assert.ok(links(res.text).includes('/mailboxes/1'));
    assert.match(res.text, /<td class="num">2<\/td><\/tr>/, 'two conversations in mailbox 1');
  });

  it('lists a mailbox’s conversations with customer, status and tags, every value escaped', async () => {
    const res = await web(s.emu, '/mailboxes/1');
    assert.equal(res.status, 200);
    assert.ok(links(res.text).includes(`/conversations/${hostile}`));
    assert.ok(res.text.includes('Refund &lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;&lt;img src=x'));
    assert.ok(res.text.includes('&amp; co'));
    assert.ok(res.text.includes('<span class="tag">&lt;b&gt;tag&lt;/b&gt;</span>'));
    assert.ok(res.text.includes('Maria Rossi'), 'the customer’s name');
    assert.ok(res.text.includes('<span class="status status-active">active</span>'));
    assert.doesNotMatch(res.text, /<script|<img/i);
    assert.deepEqual(eventHandlers(res.text), []);
  });

  it('shows a hostile subject and body as text and safe markup only', async () => {
    const res = await web(s.emu, `/conversations/${hostile}`);
    assert.equal(res.status, 200);
    const page = res.text;
    assert.ok(page.includes('<h1>Refund &lt;script&gt;'), 'the subject is text');
    assert.ok(page.includes('<p>Hello <b>there</b></p>'), 'harmless markup is rendered');
    assert.ok(
      page.includes('<a href="https://example.com/help" rel="noopener noreferrer nofollow">good link</a>'),
    );
    assert.ok(
      page.includes('<a rel="noopener noreferrer nofollow">bad link</a>'),
      'the javascript: link loses its href',
    );
    assert.doesNotMatch(page, /<script|<img|javascript:/i);
    assert.doesNotMatch(page, /alert\("b"\)/, 'a script’s content is dropped, not shown');
    assert.deepEqual(eventHandlers(page), []);
  });

  it('shows the threads oldest first with their type, author and time', async () => {
    const page = (await web(s.emu, `/conversations/${ordered}`)).text;
    const at = ['first', 'second', 'third'].map((w) => page.indexOf(`<div class="body">${w}</div>`));
    assert.ok(
      at.every((i) => i > 0),
      `every body shown: ${at}`,
    );
    assert.deepEqual(
      [...at].sort((a, b) => a - b),
      at,
      'oldest first',
    );
    const name = (id: number) => {
      const u = DEFAULT_SEED.users.find((x) => x.id === id);
      return `${u?.firstName} ${u?.lastName}`;
    };
    assert.ok(
      page.includes(`<span class="kind">Note</span><span class="author">${name(1)}</span>`),
      'the owner’s',
    );
    assert.ok(page.includes(`<span class="kind">Reply</span><span class="author">${name(2)}</span>`));
    assert.ok(page.includes('<span class="kind">Chat</span><span class="author">Maria Rossi</span>'));
    assert.ok(page.includes('<time datetime="2024-01-01T10:01:00Z">2024-01-01 10:01:00 UTC</time>'));
    assert.ok(page.includes('3 threads, oldest first'));
  });

  it('answers 404 pages for what does not exist, and refuses to change anything', async () => {
    assert.equal((await web(s.emu, '/conversations/999999')).status, 404);
    assert.equal((await web(s.emu, '/mailboxes/42')).status, 404);
    assert.equal((await web(s.emu, '/nothing/here')).status, 404);
    assert.equal((await web(s.emu, `/conversations/${ordered}/attachments/1`)).status, 404);
    const before = JSON.stringify(s.emu.state());
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await web(s.emu, `/conversations/${ordered}`, method);
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.allow, 'GET, HEAD');
    }
    assert.equal(JSON.stringify(s.emu.state()), before);
  });

  it('leaves the API and the admin routes as they were, and does not count its own pages', async () => {
    const counted = s.emu.stats().totalRequests;
    await web(s.emu, '/');
    await web(s.emu, '/requests');
    assert.equal(s.emu.stats().totalRequests, counted);
    const anonymous = await fetch(`${s.emu.url}conversations`);
    assert.equal(anonymous.status, 401);
    assert.equal((await s.call('GET', 'conversations')).status, 200);
    const state = await fetch(s.emu.url.replace(/v2\/$/, '_emulator/state'));
    assert.equal(state.status, 200);
    assert.equal(((await state.json()) as { conversations: unknown[] }).conversations.length, 2);
  });
});
