import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toApiDate } from '../api/api-types.js';
import { AuditRecorder } from './audit.js';
import { FaultInjector } from './faults.js';
import type { HandlerContext } from './handlers/context.js';
import { Journal } from './journal.js';
import type { Mutation } from './mutations.js';
import { resolveOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { handleRequest } from './server.js';
import { StatsRecorder } from './stats.js';
import { Store } from './store.js';
import { TokenFaultInjector } from './token-faults.js';
import { TokenRegistry } from './tokens.js';
import type { Emulator, EmulatorOptions, FaultOptions, TokenFaultOptions } from './types.js';

/** Starts a local Help Scout Mailbox API v2 on `host:port` (port 0: any free port). */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const opts = resolveOptions(options);
  const store = new Store(opts.seed);
  const journal = opts.dataFile ? Journal.open(opts.dataFile) : undefined;
  for (const m of journal?.entries ?? []) store.apply(m);

  const commit = (m: Mutation) => {
    journal?.append(m); // before applying and before answering: an acknowledged write is on disk
    store.apply(m);
  };
  const ctx: HandlerContext = {
    origin: '',
    store,
    opts,
    audit: new AuditRecorder(),
    commit,
    nowMs: () => opts.clock.now(),
    now: () => toApiDate(new Date(opts.clock.now())),
  };
  const faults = new FaultInjector(opts.faults);
  const tokenFaults = new TokenFaultInjector(opts.tokenFaults);
  const access = { denied: opts.accessDenied };
  const stats = new StatsRecorder(() => opts.clock.now());
  const closing = new AbortController();

  const merge = (from: number, into: number): void => {
    const a = store.conversations.get(from);
    const b = store.conversations.get(into);
    if (!a || a.mergedInto !== undefined || a.deleted)
      throw new Error(`conversation ${from} does not exist or is merged`);
    if (!b || b.mergedInto !== undefined || b.deleted)
      throw new Error(`conversation ${into} does not exist or is merged`);
    if (from === into) throw new Error('cannot merge a conversation into itself');
    commit({ op: 'merge', from, into, modifiedAt: ctx.now() });
  };
  const admin = {
    state: () => store.snapshot(),
    stats: () => stats.snapshot(),
    setFaults: (f: FaultOptions | undefined) => faults.set(f),
    setTokenFaults: (f: TokenFaultOptions | undefined) => tokenFaults.set(f),
    setAccessDenied: (denied: boolean) => {
      access.denied = denied;
    },
    audit: () => ctx.audit.snapshot(),
    merge,
  };
  const pipeline = {
    ctx,
    tokens: new TokenRegistry(opts),
    limiter: new RateLimiter(opts.rateLimitPerMinute, opts.clock),
    faults,
    tokenFaults,
    access,
    stats,
    admin,
    web: { store, stats, faults: () => faults.current(), rateLimitPerMinute: opts.rateLimitPerMinute },
    closing: closing.signal,
  };

  const server = http.createServer((req, res) => {
    handleRequest(pipeline, req, res).catch((err: unknown) => {
      console.error('[emulator] request failed', err);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  ctx.origin = `http://${host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${ctx.origin}/v2/`,
    port,
    ...admin,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing.abort(new Error('emulator closed'));
        server.close(() => {
          journal?.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
