import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Wakeup } from '../util/wakeup.js';
import { type KeyRange, planRange, type RangeContext, type RangePlan } from './plan-range.js';
import type { StateStore } from './store.js';

export interface PlanWorkerData {
  path: string;
  context: Omit<RangeContext, 'sample'> & { sample: string[] | undefined };
}

export type WorkerAnswer = { type: 'plan'; plan: RangePlan } | { type: 'error'; message: string };

/**
 * Threads that plan beside the main one: one per core beyond the first, up to 3. On one core, none: they
 * would only take turns with the main thread.
 */
export function planningHelpers(): number {
  return Math.min(3, availableParallelism() - 1);
}

/** Ranges a thread holds at a time: the next one is there when it finishes one. */
const RANGES_AHEAD = 2;

// The worker is this module's sibling, compiled (.js) or, under a TypeScript loader, as source (.ts).
const WORKER_URL = new URL(`./plan-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Plans key ranges in this thread and in `helpers` worker threads at once, and yields the plans as they come
 * (not in range order). Each helper reads on its own read-only connection to the state file, which must be
 * in WAL mode: this thread writes the plans in an open transaction meanwhile. Ranges are handed out as
 * threads free up, so a slow range does not hold the others back; this thread plans one whenever no
 * helper's plan is waiting, and lets the helpers' messages in between two.
 */
export async function* plansInParallel(
  store: StateStore,
  ranges: Iterator<KeyRange>,
  context: RangeContext,
  helpers: number,
): AsyncGenerator<{ plan: RangePlan; byHelper: boolean }> {
  const data: PlanWorkerData = {
    path: store.path,
    context: { ...context, sample: context.sample ? [...context.sample] : undefined },
  };
  const workers = Array.from({ length: helpers }, () => new Worker(WORKER_URL, { workerData: data }));
  const done: RangePlan[] = [];
  let failure: Error | undefined;
  const wakeup = new Wakeup();
  let outstanding = 0;
  let exhausted = false;
  const take = (): KeyRange | undefined => {
    if (exhausted) return undefined;
    const next = ranges.next();
    if (!next.done) return next.value;
    exhausted = true;
    return undefined;
  };
  const give = (worker: Worker): void => {
    const range = take();
    if (!range) return;
    outstanding += 1;
    worker.postMessage(range);
  };
  for (const worker of workers) {
    worker.on('message', (answer: WorkerAnswer) => {
      if (answer.type === 'error') failure ??= new Error(`planning thread: ${answer.message}`);
      else {
        outstanding -= 1;
        done.push(answer.plan);
        give(worker);
      }
      wakeup.notify();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wakeup.notify();
    });
    worker.on('exit', (code) => {
      failure ??= new Error(`a planning thread stopped (exit code ${code})`);
      wakeup.notify();
    });
  }
  try {
    for (let i = 0; i < RANGES_AHEAD; i++) for (const worker of workers) give(worker);
    for (;;) {
      if (failure) throw failure;
      const helped = done.shift();
      if (helped) {
        yield { plan: helped, byHelper: true };
        continue;
      }
      const range = take();
      if (range) {
        yield { plan: planRange(store, range, context), byHelper: false };
        // Let the helpers' answers in, and hand them their next ranges.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (outstanding === 0) return;
      else await wakeup.sleep();
    }
  } finally {
    for (const worker of workers) worker.removeAllListeners();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
