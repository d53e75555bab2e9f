/** What the server's `X-RateLimit-Remaining-Minute` said, and when the request it answers left us. */
export interface RemainingSeen {
  limit: number;
  remaining: number;
  sentAt: number;
  at: number;
}

/** Points of ours acquired in (from, to]. */
export type OurSpending = (from: number, to: number) => number;

/** Finished windows whose others' spending is remembered: a competitor that stops is forgotten after this many. */
const HISTORY = 1;

/** Remaining points (share of the limit) under which the others may have been refused. */
const OPEN_SHARE = 0.02;
/** The shortest stretch of a window (share) whose spending is scaled to the whole window. */
const MIN_SAMPLE = 0.25;

/** How much more room a window that closed on the others gives them next time. */
const GROWTH = 1.25;

/**
 * The account's current fixed window as the answers reveal it, and what the account's other integrations
 * spend in it. The server counts everyone's points since the window began; we know our own, so what we did
 * not spend, someone else did: others = (limit − remaining) − ours since the window began. The window's start
 * is only known to lie in (lo, hi]: a jump of `remaining` between two answers places a reset between the
 * first one's sending and the second one's arrival, and successive resets (one window apart) narrow it.
 * Pure: time comes in as arguments.
 */
export class AccountWindow {
  private start: { lo: number; hi: number } | undefined;
  private last: { remaining: number; sentAt: number; window: number } | undefined;
  /** Counts windows, so an answer is known to belong to the current one or to one before. */
  private window = 0;
  private othersNow = 0;
  /** The others' spending at the latest answer that still left them room, and when it came. */
  private open: { others: number; at: number; limit: number } | undefined;
  /** Whether the latest answer left the others no room: they may have been refused since. */
  private closed = false;
  private readonly finished: number[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly ours: OurSpending,
  ) {}

  /** Whether any answer told the account's state yet. */
  get known(): boolean {
    return this.start !== undefined;
  }

  /** The others' points to leave them in the current window: the most they spent lately, or so far. */
  get reserve(): number {
    return Math.max(this.othersNow, ...this.finished);
  }

  /** When the current window ends: in (earliest, latest]. */
  endBetween(now: number): { earliest: number; latest: number } | undefined {
    this.roll(now);
    return this.start && { earliest: this.start.lo + this.windowMs, latest: this.start.hi + this.windowMs };
  }

  /** Points the account has left for us now (ours counted since the window may have begun). */
  leftForUs(limit: number, now: number): number {
    this.roll(now);
    if (!this.start) return Number.POSITIVE_INFINITY;
    return limit - this.ours(this.start.lo, now) - this.reserve;
  }

  observe(seen: RemainingSeen): void {
    this.roll(seen.at);
    const start = this.start;
    // Sent before the window surely began: it may have been counted in the one before.
    if (start && seen.sentAt <= start.lo) return;
    const last = this.last;
    const tolerance = Math.max(2, seen.limit * 0.02);
    if (!start) {
      this.start = { lo: seen.at - this.windowMs, hi: seen.at };
    } else if (last && seen.remaining > last.remaining + tolerance && seen.at > start.lo + this.windowMs) {
      this.resetBetween(last.sentAt, seen.at, last.window === this.window);
    } else if (seen.sentAt > start.lo + this.windowMs) {
      // Counted in the same window as the answer before: that window had not ended when this left us.
      start.lo = Math.min(seen.sentAt - this.windowMs, start.hi - 1);
    }
    this.last = { remaining: seen.remaining, sentAt: seen.sentAt, window: this.window };
    const lo = (this.start as { lo: number }).lo;
    this.othersNow = Math.max(0, seen.limit - seen.remaining - this.ours(lo, seen.at));
    if (seen.remaining >= Math.max(2, seen.limit * OPEN_SHARE))
      this.open = { others: this.othersNow, at: seen.at, limit: seen.limit };
  }

  /**
   * The others' pace in the window ending: their spending while the window still had room for them, over the
   * time it had room, scaled to a window (once the account is spent, a 429 hides what they wanted).
   */
  private pace(): number {
    const s = this.start;
    const open = this.open;
    const known = s !== undefined && s.hi - s.lo <= this.windowMs / 20;
    // Refused, they spent less than they wanted: ask more room for them until the window stays open.
    const least = this.closed && known ? this.othersNow * GROWTH : this.othersNow;
    if (!s || !open) return least;
    // From the latest the window may have begun (if anything, the pace comes out high), unless that is
    // too uncertain to tell.
    const elapsed = open.at - (known ? s.hi : (s.lo + s.hi) / 2);
    if (elapsed < this.windowMs * MIN_SAMPLE) return least;
    return Math.max(least, Math.min(open.limit, (open.others * this.windowMs) / elapsed));
  }

  /** The server began a window in (lo, hi]; `fresh` when the answer before was counted in the current one. */
  private resetBetween(lo: number, hi: number, fresh: boolean): void {
    const s = this.start;
    if (!fresh && s && lo < s.hi && hi > s.lo) {
      // The reset already assumed (the window rolled by time): now better placed.
      this.start = { lo: Math.max(lo, s.lo), hi: Math.min(hi, s.hi) };
      return;
    }
    this.finish();
    if (s) {
      const next = { lo: Math.max(lo, s.lo + this.windowMs), hi: Math.min(hi, s.hi + this.windowMs) };
      if (next.lo < next.hi) {
        this.start = next;
        return;
      }
    }
    this.start = { lo, hi };
  }

  /** Once the current window has surely ended, the next one has surely begun. */
  private roll(now: number): void {
    while (this.start && now > this.start.hi + this.windowMs) {
      this.finish();
      this.start = { lo: this.start.lo + this.windowMs, hi: this.start.hi + this.windowMs };
    }
  }

  private finish(): void {
    this.window += 1;
    this.finished.push(Math.round(this.pace()));
    if (this.finished.length > HISTORY) this.finished.shift();
    this.othersNow = 0;
    this.open = undefined;
    this.closed = false;
  }
}
