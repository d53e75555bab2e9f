import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { backoffDelay, type RetryPolicy } from '../../helpscout/retry-policy.js';
import { mimeTypeOf } from '../../source/attachments.js';
import type { Clock } from '../../util/clock.js';
import { createHostMatcher, remoteFileName, sameOrigin, urlProblem } from '../../util/url-policy.js';

export const MAX_REMOTE_FILE_BYTES = 10 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export interface RemoteFileOptions {
  /** `source.attachments.allowHosts`. */
  allowHosts: readonly string[];
  /** Where fetched files are kept (beside the state file), so that a rerun fetches nothing again. */
  cacheDir: string;
  clock: Clock;
  maxBytes?: number;
  /** Attempts after the first, on network errors, 5xx and 429. */
  retries?: number;
  retryDelay?: Pick<RetryPolicy, 'minDelayMs' | 'maxDelayMs'>;
  /** Connect, headers and between-body-chunks timeout of one attempt. */
  timeoutMs?: number;
}

export type RemoteFile =
  | { ok: true; path: string; fileName: string; mimeType: string; size: number; url: string }
  | { ok: false; url: string; reason: string };

interface Meta {
  url: string;
  fileName: string;
  mimeType: string;
  size: number;
}

type Attempt = { kind: 'done'; file: Meta } | { kind: 'fail' | 'retry'; reason: string };

class TooLarge extends Error {}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return (error as Error).message ?? String(error);
}

/**
 * Downloads the files an export names by URL, at send time: only from allowed hosts, over https (plain http
 * for loopback only), never following a redirect off the origin asked for, at most `maxBytes` (checked on
 * Content-Length before reading and on every chunk while reading), retried a bounded number of times on
 * network errors, 5xx and 429 (a 4xx is final). A file is kept under the SHA-256 of its URL (an export's
 * URLs name fixed files), written to a temp name then renamed, with its name and type beside it: a URL is
 * fetched once, across runs, and a crash never leaves half a file under the final name.
 */
export class AttachmentFetcher {
  private readonly agent: Agent;
  private readonly isAllowedHost: (hostname: string) => boolean;
  private readonly maxBytes: number;
  private readonly retries: number;
  private readonly retryDelay: RetryPolicy;
  private readonly inFlight = new Map<string, Promise<RemoteFile>>();

  constructor(private readonly options: RemoteFileOptions) {
    const timeout = options.timeoutMs ?? 30_000;
    this.agent = new Agent({ connectTimeout: timeout, headersTimeout: timeout, bodyTimeout: timeout });
    this.isAllowedHost = createHostMatcher(options.allowHosts);
    this.maxBytes = options.maxBytes ?? MAX_REMOTE_FILE_BYTES;
    this.retries = options.retries ?? 3;
    this.retryDelay = { retries: this.retries, minDelayMs: 500, maxDelayMs: 10_000, ...options.retryDelay };
  }

  /** The file behind `rawUrl` on disk, or why it cannot be had. Throws only when `signal` aborts. */
  fetch(rawUrl: string, signal?: AbortSignal): Promise<RemoteFile> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return Promise.resolve({ ok: false, url: rawUrl, reason: 'not a URL' });
    }
    const problem = urlProblem(url, this.isAllowedHost);
    if (problem) return Promise.resolve({ ok: false, url: rawUrl, reason: problem });
    // The same file named by two messages sent at once is fetched once.
    let pending = this.inFlight.get(url.href);
    if (pending === undefined) {
      pending = this.cachedOrFetched(url, signal).finally(() => this.inFlight.delete(url.href));
      this.inFlight.set(url.href, pending);
    }
    return pending;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async cachedOrFetched(url: URL, signal: AbortSignal | undefined): Promise<RemoteFile> {
    const key = createHash('sha256').update(url.href).digest('hex');
    const dataPath = path.join(this.options.cacheDir, key);
    const cached = await this.readCache(key, dataPath);
    if (cached) return { ok: true, path: dataPath, ...cached };
    await mkdir(this.options.cacheDir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(url, dataPath, signal);
      if (outcome.kind === 'done') {
        await writeAtomically(`${dataPath}.json`, JSON.stringify(outcome.file));
        return { ok: true, path: dataPath, ...outcome.file };
      }
      if (outcome.kind === 'fail') return { ok: false, url: url.href, reason: outcome.reason };
      if (attempt >= this.retries)
        return { ok: false, url: url.href, reason: `${outcome.reason} (${attempt + 1} attempts)` };
      await this.options.clock.sleep(backoffDelay(this.retryDelay, attempt), signal);
    }
  }

  private async readCache(key: string, dataPath: string): Promise<Meta | undefined> {
    try {
      const meta = JSON.parse(
        await readFile(path.join(this.options.cacheDir, `${key}.json`), 'utf8'),
      ) as Meta;
      const info = await stat(dataPath);
      return info.size === meta.size ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  /** One try: the request, same-origin redirects, then the body into the cache. */
  private async attempt(start: URL, dataPath: string, signal: AbortSignal | undefined): Promise<Attempt> {
    let url = start;
    for (let hops = 0; ; hops++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, { method: 'GET', dispatcher: this.agent, signal: signal ?? null });
      } catch (error) {
        if (signal?.aborted) throw error;
        return { kind: 'retry', reason: `network error (${errorCode(error)})` };
      }
      const status = res.statusCode;
      const location = single(res.headers.location);
      if (status >= 300 && status < 400 && location !== undefined) {
        await res.body.dump();
        const next = new URL(location, url);
        if (!sameOrigin(start, next))
          return {
            kind: 'fail',
            reason: `redirected to ${next.origin}: a redirect off ${start.origin} is not followed`,
          };
        if (hops >= MAX_REDIRECTS) return { kind: 'fail', reason: `more than ${MAX_REDIRECTS} redirects` };
        url = next;
        continue;
      }
      if (status === 429 || status >= 500) {
        await res.body.dump();
        return { kind: 'retry', reason: `HTTP ${status}` };
      }
      if (status !== 200) {
        await res.body.dump();
        return { kind: 'fail', reason: `HTTP ${status}` };
      }
      const declared = Number(single(res.headers['content-length']));
      if (declared > this.maxBytes) {
        // Not read at all: the connection is dropped (its abort error has no one else to go to).
        res.body.on('error', () => {});
        res.body.destroy();
        return { kind: 'fail', reason: this.tooLarge(`is ${declared} bytes`) };
      }
      const fileName = remoteFileName(url, single(res.headers['content-disposition']));
      const type = single(res.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
      const mimeType = type && type !== 'application/octet-stream' ? type : mimeTypeOf(fileName);
      return this.save(res, dataPath, { url: start.href, fileName, mimeType }, signal);
    }
  }

  private tooLarge(what: string): string {
    return `${what}, more than the ${this.maxBytes} bytes a file may have (what one upload request carries)`;
  }

  private async save(
    res: Dispatcher.ResponseData,
    dataPath: string,
    meta: Omit<Meta, 'size'>,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const temp = `${dataPath}.${randomBytes(6).toString('hex')}.part`;
    let size = 0;
    const max = this.maxBytes;
    try {
      await pipeline(
        res.body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > max) throw new TooLarge();
            yield chunk;
          }
        },
        createWriteStream(temp, { mode: 0o600 }),
      );
      await rename(temp, dataPath);
      return { kind: 'done', file: { ...meta, size } };
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof TooLarge)
        return { kind: 'fail', reason: this.tooLarge(`has more than ${max} bytes`) };
      if (signal?.aborted) throw error;
      return { kind: 'retry', reason: `reading failed (${errorCode(error)})` };
    }
  }
}

async function writeAtomically(target: string, content: string): Promise<void> {
  const temp = `${target}.${randomBytes(6).toString('hex')}.part`;
  await writeFile(temp, content, { mode: 0o600 });
  await rename(temp, target);
}
