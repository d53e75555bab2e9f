import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { findChromium, headless } from '../support/chromium.js';
import { ENV, runCli } from '../support/cli.js';
import { demoFacts, demoFiles, tempDir, writeConfig } from '../support/fixtures.js';

/** Text content as a DOM dump serialises it: `&`, `<`, `>` escaped. */
const domText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

test('headless Chromium shows the imported demo: a split conversation, its parts and its threads in order', async (t) => {
  const chromium = findChromium();
  if (!chromium) {
    t.skip('no chromium binary on PATH (apt-get install chromium; .ci/run installs it)');
    return;
  }
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  try {
    const dir = tempDir('web-view');
    const facts = demoFacts();
    const config = writeConfig(dir, {
      source: { files: demoFiles(), timezone: facts.timezone },
      target: { apiUrl: emulator.url, mailboxId: 1, tags: ['hs-import'] },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
      reconcile: { searchRetries: 1, searchDelayMs: 10, resendAfterSeconds: 2 },
    });
    const run = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(run.code, 2, `exit 2 for the demo's deliberate rejects\n${run.stdout}\n${run.stderr}`);
    const view = emulator.url.replace(/v2\/$/, '');
    const profile = join(dir, 'chromium-profile');
    const conversations = emulator.state().conversations;

    const list = await headless(chromium, profile, `${view}mailboxes/1`);
    assert.equal(
      list.match(/<a href="\/conversations\/\d+">/g)?.length,
      conversations.length,
      'every conversation',
    );

    const first = conversations.find((c) => c.subject.endsWith('(part 1 of 3)'));
    assert.ok(first, 'the demo’s longest conversation is split in three');
    const page = await headless(chromium, profile, `${view}conversations/${first.id}`);
    assert.ok(page.includes(`<h1>${domText(first.subject)}</h1>`), 'its subject');
    const bodies = [...page.matchAll(/<div class="body">([\s\S]*?)<\/div>/g)].map((m) => m[1]);
    assert.equal(bodies.length, first.threads.length, 'one article per thread');
    const expected = [...first.threads].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
    );
    assert.equal(bodies[0], expected[0]?.body, 'the oldest thread first');
    assert.equal(bodies.at(-1), expected.at(-1)?.body, 'the newest last');
    const times = [...page.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1] as string).slice(2);
    assert.deepEqual(times, [...times].sort(), 'threads in time order');
    const second = conversations.find(
      (c) => c.subject === first.subject.replace('part 1 of 3', 'part 2 of 3'),
    );
    assert.ok(
      page.includes(`<a href="/conversations/${second?.id}" title="part 2 of 3">2/3</a>`),
      'linked to part 2',
    );

    // A customer wrote markup as text: the reader sees the characters, not bold type.
    const typed = conversations.find((c) => c.threads.some((th) => th.body.includes('Is &lt;b&gt;bold')));
    assert.ok(typed);
    const typedPage = await headless(chromium, profile, `${view}conversations/${typed.id}`);
    assert.ok(
      typedPage.includes(
        'Is &lt;b&gt;bold&lt;/b&gt; text allowed in the notes field? 5 &gt; 3 &amp; 2 &lt; 4',
      ),
    );

    const shot = join(dir, 'conversation.png');
    await headless(chromium, profile, `${view}conversations/${first.id}`, `--screenshot=${shot}`);
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, 'a screenshot with something on it');
  } finally {
    await emulator.close();
  }
});
