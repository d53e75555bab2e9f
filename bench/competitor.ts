import type { Clock } from '../src/util/clock.js';

export interface CompetitorOptions {
  /** The emulator's origin, on 127.0.0.1. */
  apiUrl: string;
  token: string;
  /** Reads a minute, evenly spaced on `clock`. */
  perMinute: number;
  clock: Clock;
  /** Bounds: it never sends more than this many reads, nor for longer than this. */
  maxReads: number;
  maxMs: number;
}

export interface Competitor {
  /** Stops sending and resolves once every read sent has been answered. */
  stop(): Promise<{ sent: number; ok: number; refused: number; failed: number }>;
}

/**
 * Another integration of the same account (a reporting tool): `GET /v2/mailboxes` with its own token at a
 * steady pace, whatever the answers, as such tools do. Each read is scheduled on the clock from the start
 * (no drift), and sent without waiting for the one before.
 */
export function startCompetitor(o: CompetitorOptions): Competitor {
  const url = new URL('/v2/mailboxes', o.apiUrl);
  if (url.hostname !== '127.0.0.1')
    throw new Error(`the competing client only talks to 127.0.0.1, not ${url.host}`);
  const counts = { sent: 0, ok: 0, refused: 0, failed: 0 };
  const pending = new Set<Promise<void>>();
  const stopper = new AbortController();
  const began = o.clock.now();
  const every = 60_000 / o.perMinute;
  const read = async () => {
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${o.token}` } });
      await res.arrayBuffer();
      if (res.status === 200) counts.ok += 1;
      else if (res.status === 429) counts.refused += 1;
      else counts.failed += 1;
    } catch {
      counts.failed += 1;
    }
  };
  const loop = (async () => {
    for (let i = 0; i < o.maxReads; i++) {
      const due = began + i * every;
      if (due - began > o.maxMs) break;
      const wait = due - o.clock.now();
      try {
        if (wait > 0) await o.clock.sleep(wait, stopper.signal);
      } catch {
        break;
      }
      if (stopper.signal.aborted) break;
      counts.sent += 1;
      const p = read();
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
  })();
  return {
    async stop() {
      stopper.abort();
      await loop;
      await Promise.all(pending);
      return { ...counts };
    },
  };
}
