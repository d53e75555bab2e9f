/**
 * A planning thread (see plan-in-workers.ts): plans the key ranges it is given on a read-only connection and
 * sends back what it decided, one range at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PlanWorkerData, WorkerAnswer } from './plan-in-workers.js';
import { type KeyRange, planRange } from './plan-range.js';
import { StateStore } from './store.js';

const port = parentPort;
if (!port) throw new Error('plan-worker.js runs as a worker thread');
const { path, context } = workerData as PlanWorkerData;
const store = StateStore.reader(path);
const sample = context.sample ? new Set(context.sample) : undefined;

port.on('message', (range: KeyRange) => {
  let answer: WorkerAnswer;
  try {
    answer = { type: 'plan', plan: planRange(store, range, { ...context, sample }) };
  } catch (error) {
    answer = { type: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
