import { mulberry32 } from '../util/prng.js';
import type { TokenFaultOptions, TokenOutcome } from './types.js';

/**
 * The token endpoint's faults: the script first, then the rates. Every request draws the same count of random
 * numbers whatever the outcome, so a given sequence of token requests always meets the same faults.
 */
export class TokenFaultInjector {
  private opts: TokenFaultOptions | undefined;
  private random: () => number = mulberry32(1);
  private served = 0;

  constructor(opts: TokenFaultOptions | undefined) {
    this.set(opts);
  }

  set(opts: TokenFaultOptions | undefined): void {
    this.opts = opts;
    this.random = mulberry32(opts?.seed ?? 1);
    this.served = 0;
  }

  get stallMs(): number {
    return this.opts?.stallMs ?? 120_000;
  }

  next(): TokenOutcome {
    const o = this.opts;
    if (!o) return 'ok';
    const index = this.served++;
    const r = this.random();
    const half = this.random();
    const scripted = o.script?.[index];
    if (scripted) return scripted;
    let edge = o.rateLimited ?? 0;
    if (r < edge) return '429';
    edge += o.serverError ?? 0;
    if (r < edge) return half < 0.5 ? '500' : '503';
    edge += o.stall ?? 0;
    if (r < edge) return 'stall';
    return 'ok';
  }
}
