import type { RunOutcome } from '../run/summary.js';

/** The exit codes of product.md: the only numbers a script calling hs-import relies on. */
export const EXIT = { ok: 0, fatal: 1, partial: 2, stopped: 130 } as const;

const EXIT_OF_OUTCOME: Record<RunOutcome, number> = {
  complete: EXIT.ok,
  partial: EXIT.partial,
  stopped: EXIT.stopped,
};

export function exitCodeOf(outcome: RunOutcome): number {
  return EXIT_OF_OUTCOME[outcome];
}
