/**
 * How many requests may be in flight at once: enough to keep the rate-limit budget busy when the API answers
 * slowly (Little's law: in flight = rate × latency), and no more, so a crash leaves few writes in doubt and
 * nothing queues up to burst. Bounded by the configured `--concurrency`.
 */
export class AdaptiveConcurrency {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Smoothed answer time; starts pessimistic so the first requests are not starved. */
  private latencyMs = 1_000;

  constructor(
    readonly max: number,
    /** Requests a minute the budget allows (points a minute ÷ 2 for writes). */
    private readonly requestsPerMinute: () => number,
  ) {}

  get target(): number {
    const perMs = this.requestsPerMinute() / 60_000;
    // 1.5× headroom for jitter in answer times, +1 so one slow answer never stalls the pipe.
    const needed = Math.ceil(perMs * this.latencyMs * 1.5) + 1;
    return Math.max(1, Math.min(this.max, needed));
  }

  get inFlight(): number {
    return this.active;
  }

  async acquire(): Promise<void> {
    if (this.active < this.target) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Frees a slot; `latencyMs` (when the request got an answer) updates the estimate. */
  release(latencyMs?: number): void {
    if (latencyMs !== undefined) this.latencyMs = this.latencyMs * 0.8 + latencyMs * 0.2;
    this.active -= 1;
    while (this.waiting.length > 0 && this.active < this.target) {
      this.active += 1;
      this.waiting.shift()?.();
    }
  }
}
