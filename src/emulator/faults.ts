import { mulberry32 } from '../util/prng.js';
import { ApiError } from './api-error.js';
import type { FaultCounts, FaultOptions } from './types.js';

export type FaultKind = keyof FaultCounts;

export interface FaultDecision {
  kind: FaultKind;
  /** For `serverError`: 500 or 503. */
  status: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Seeded fault injection. Every request draws the same number of random numbers whatever the outcome, so a
 * given request sequence always meets the same faults.
 */
export class FaultInjector {
  private opts: FaultOptions | undefined;
  private random: () => number = mulberry32(1);

  constructor(opts: FaultOptions | undefined) {
    this.set(opts);
  }

  set(opts: FaultOptions | undefined): void {
    this.opts = opts;
    this.random = mulberry32(opts?.seed ?? 1);
  }

  /** The options in force (undefined: no faults), for the web view. */
  current(): FaultOptions | undefined {
    return this.opts === undefined ? undefined : structuredClone(this.opts);
  }

  /** The 400 `refuseText` asks for this write's body, if its text contains it. */
  refusal(method: string, body: unknown): ApiError | undefined {
    const marker = this.opts?.refuseText;
    if (!marker || method !== 'POST' || typeof body !== 'object' || body === null) return undefined;
    const texts: [string, unknown][] = Array.isArray((body as { threads?: unknown }).threads)
      ? ((body as { threads: unknown[] }).threads.map((t, i) => [
          `threads[${i}].text`,
          (t as { text?: unknown } | null)?.text,
        ]) as [string, unknown][])
      : [['text', (body as { text?: unknown }).text]];
    const errors = texts
      .filter(([, text]) => typeof text === 'string' && text.includes(marker))
      .map(([path, text]) => ({ path, message: 'refused (emulator fault refuseText)', rejectedValue: text }));
    return errors.length > 0 ? ApiError.badRequest(errors) : undefined;
  }

  /** Whether 400 answers leave out the fields they name (`errorsWithoutPath`). */
  get errorsWithoutPath(): boolean {
    return this.opts?.errorsWithoutPath === true;
  }

  get stallMs(): number {
    return this.opts?.stallMs ?? 120_000;
  }

  /** Extra latency for this request, in ms (0 without `latencyMs`). */
  latency(): number {
    const range = this.opts?.latencyMs;
    if (!range) return 0;
    const [min, max] = range;
    return Math.round(min + this.random() * Math.max(0, max - min));
  }

  decide(method: string): FaultDecision | undefined {
    const o = this.opts;
    if (!o) return undefined;
    if ((o.appliesTo ?? 'writes') === 'writes' && !WRITE_METHODS.has(method)) return undefined;
    const r = this.random();
    const status = this.random() < 0.5 ? 500 : 503;
    let edge = 0;
    const kinds: [FaultKind, number | undefined][] = [
      ['resetBeforeCommit', o.resetBeforeCommit],
      ['serverError', o.serverErrorBeforeCommit],
      ['stall', o.stall],
      ['dropAfterCommit', o.dropAfterCommit],
    ];
    for (const [kind, p] of kinds) {
      edge += p ?? 0;
      if (r < edge) return { kind, status };
    }
    return undefined;
  }
}
