import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AttachmentFetcher, type RemoteFileOptions } from '../../src/run/remote-files/fetch-attachment.js';
import { fileServer } from '../support/file-server.js';
import { instantClock } from '../support/instant-clock.js';
import { tempDir } from '../support/temp-dir.js';

const PDF = Buffer.from('%PDF-1.4 a small file\n'.repeat(100));

describe('AttachmentFetcher against a loopback file server', () => {
  let files: Awaited<ReturnType<typeof fileServer>>;
  let elsewhere: Awaited<ReturnType<typeof fileServer>>;
  const fetchers: AttachmentFetcher[] = [];
  let failFirst = true;

  before(async () => {
    elsewhere = await fileServer({ '/file.pdf': (_req, res) => res.end(PDF) });
    files = await fileServer({
      '/file.pdf': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF),
      '/named': (_req, res) =>
        res.writeHead(200, { 'content-disposition': 'attachment; filename="report 2024.csv"' }).end('a,b\n'),
      '/slow.bin': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        let sent = 0;
        const drip = () => {
          if (sent === 5) return res.end();
          res.write(PDF.subarray(sent * 10, sent * 10 + 10));
          sent += 1;
          setTimeout(drip, 20);
        };
        drip();
      },
      '/stalled': (_req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('only a little');
      },
      '/flaky': (_req, res) => {
        if (failFirst) {
          failFirst = false;
          res.writeHead(503).end();
        } else res.end('second time lucky');
      },
      '/too-large-declared': (_req, res) => {
        res.writeHead(200, { 'content-length': String(2048) });
        res.end(Buffer.alloc(2048));
      },
      '/too-large-chunked': (_req, res) => {
        res.writeHead(200);
        for (let n = 0; n < 4; n++) res.write(Buffer.alloc(600));
        res.end();
      },
      '/moved': (_req, res) => res.writeHead(302, { location: '/file.pdf' }).end(),
      '/away': (_req, res) =>
        res
          .writeHead(301, { location: `${elsewhere.base.replace('127.0.0.1', 'localhost')}/file.pdf` })
          .end(),
    });
  });
  after(async () => {
    await Promise.all(fetchers.map((f) => f.close()));
    files.server.close();
    elsewhere.server.close();
  });

  function fetcher(options: Partial<RemoteFileOptions> = {}) {
    const cacheDir = options.cacheDir ?? tempDir('fetch');
    const f = new AttachmentFetcher({
      allowHosts: ['127.0.0.1'],
      cacheDir,
      clock: instantClock(),
      retries: 2,
      ...options,
    });
    fetchers.push(f);
    return { f, cacheDir };
  }

  it('downloads a file once: a second fetch, even by a new fetcher (a rerun), reads the cache', async () => {
    const { f, cacheDir } = fetcher();
    const [a, b] = await Promise.all([f.fetch(`${files.base}/file.pdf`), f.fetch(`${files.base}/file.pdf`)]);
    assert.ok(a.ok && b.ok);
    assert.deepEqual(readFileSync(a.path), PDF);
    assert.deepEqual([a.fileName, a.mimeType, a.size], ['file.pdf', 'application/pdf', PDF.length]);
    const again = await fetcher({ cacheDir }).f.fetch(`${files.base}/file.pdf`);
    assert.deepEqual(again, a);
    assert.equal(files.hits.get('/file.pdf'), 1);
    assert.ok(readdirSync(cacheDir).every((name) => !name.endsWith('.part')));
  });

  it("takes the name from Content-Disposition, the type from the name when the server doesn't say", async () => {
    const file = await fetcher().f.fetch(`${files.base}/named`);
    assert.ok(file.ok);
    assert.deepEqual([file.fileName, file.mimeType], ['report 2024.csv', 'text/csv']);
  });

  it('a slow body is read to its end', async () => {
    const file = await fetcher().f.fetch(`${files.base}/slow.bin`);
    assert.ok(file.ok);
    assert.deepEqual(readFileSync(file.path), PDF.subarray(0, 50));
  });

  it('a stalled body times out, is retried a bounded number of times, then fails with the reason', async () => {
    const { f, cacheDir } = fetcher({ timeoutMs: 150 });
    const file = await f.fetch(`${files.base}/stalled`);
    assert.equal(file.ok, false);
    assert.match(file.ok ? '' : file.reason, /reading failed \(UND_ERR_BODY_TIMEOUT\) \(3 attempts\)/);
    assert.equal(files.hits.get('/stalled'), 3);
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  it('a 5xx is retried; a 404 is final at once', async () => {
    const { f } = fetcher();
    const flaky = await f.fetch(`${files.base}/flaky`);
    assert.ok(flaky.ok);
    assert.equal(readFileSync(flaky.path, 'utf8'), 'second time lucky');
    assert.equal(files.hits.get('/flaky'), 2);
    assert.deepEqual(await f.fetch(`${files.base}/gone`), {
      ok: false,
      url: `${files.base}/gone`,
      reason: 'HTTP 404',
    });
    assert.equal(files.hits.get('/gone'), 1);
  });

  it('too large is refused on Content-Length, and while reading when no length is given', async () => {
    const { f, cacheDir } = fetcher({ maxBytes: 1024 });
    const declared = await f.fetch(`${files.base}/too-large-declared`);
    assert.match(
      declared.ok ? '' : declared.reason,
      /is 2048 bytes, more than the 1024 bytes a file may have/,
    );
    const chunked = await f.fetch(`${files.base}/too-large-chunked`);
    assert.match(chunked.ok ? '' : chunked.reason, /has more than 1024 bytes/);
    assert.equal(files.hits.get('/too-large-chunked'), 1);
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  it('follows a redirect on the same origin, never one to another host', async () => {
    const { f } = fetcher({ allowHosts: ['127.0.0.1', 'localhost'] });
    const moved = await f.fetch(`${files.base}/moved`);
    assert.ok(moved.ok);
    assert.deepEqual(readFileSync(moved.path), PDF);
    const away = await f.fetch(`${files.base}/away`);
    assert.match(
      away.ok ? '' : away.reason,
      /redirected to http:\/\/localhost:\d+: a redirect off http:\/\/127\.0\.0\.1:\d+ is not followed/,
    );
    assert.equal(elsewhere.hits.size, 0);
  });

  it('refuses other hosts, plain http beyond loopback and non-URLs without a request', async () => {
    const { f } = fetcher({ allowHosts: ['files.example.com'] });
    const cases = {
      [`${files.base}/file.pdf`]: 'host 127.0.0.1 is not in source.attachments.allowHosts',
      'http://files.example.com/a.pdf': 'http is not allowed: files are fetched over https only',
      'https://user:pw@files.example.com/a.pdf': 'a URL with credentials in it is not fetched',
      'photos/a.png': 'not a URL',
    };
    const before = files.hits.get('/file.pdf');
    for (const [url, reason] of Object.entries(cases))
      assert.deepEqual(await f.fetch(url), { ok: false, url, reason });
    assert.equal(files.hits.get('/file.pdf'), before);
    const wildcard = fetcher({ allowHosts: ['*.example.com'] }).f;
    assert.match(await wildcard.fetch('https://example.com/a').then((r) => (r.ok ? '' : r.reason)), /not in/);
  });

  it('a refused connection is retried, then fails naming the error', async () => {
    const closed = await fileServer({});
    const base = closed.base;
    await new Promise((resolve) => closed.server.close(resolve));
    const clock = instantClock();
    const file = await fetcher({ clock }).f.fetch(`${base}/file.pdf`);
    assert.match(file.ok ? '' : file.reason, /network error \(ECONNREFUSED\) \(3 attempts\)/);
    assert.ok(clock.slept > 0);
  });
});
