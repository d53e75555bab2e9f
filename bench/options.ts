/** Size knobs, from the environment, so a quick trial runs the same code on small inputs. */

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

function range(name: string, fallback: [number, number]): [number, number] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)-(\d+)$/.exec(raw);
  if (!match) throw new Error(`${name} must look like 50-100, got ${raw}`);
  const low = Number(match[1]);
  const high = Number(match[2]);
  if (low < 1 || high < low) throw new Error(`${name}: bad range ${raw}`);
  return [low, high];
}

function list(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`${name}: bad list ${raw}`);
  return values;
}

export interface BenchOptions {
  rateLimit: number;
  latencyMs: [number, number];
  budget: { conversations: number; threadsPer: [number, number]; concurrency: number };
  sharedBudget: { share: number };
  writes: { conversations: number };
  naive: { conversations: number; threadsPer: [number, number] };
  speed: { rows: number; rounds: number };
  memory: { rows: [number, number] };
  json: { messages: number; smallMessages: number; rounds: number };
  seed: number;
}

export function readOptions(): BenchOptions {
  const memoryRows = list('BENCH_MEMORY_ROWS', [100_000, 1_000_000]);
  if (memoryRows.length !== 2) throw new Error('BENCH_MEMORY_ROWS must hold two sizes, e.g. 100000,1000000');
  return {
    rateLimit: int('BENCH_RATE_LIMIT', 600),
    latencyMs: range('BENCH_LATENCY_MS', [200, 600]),
    budget: {
      // About 1 write each (50–100 threads fit one Create Conversation): ~4.3 min at 300 writes/min, which
      // leaves at least 3 full clock minutes between the first and the last, wherever the run starts.
      conversations: int('BENCH_BUDGET_CONVERSATIONS', 1_300),
      threadsPer: range('BENCH_BUDGET_THREADS', [50, 100]),
      concurrency: int('BENCH_BUDGET_CONCURRENCY', 8),
    },
    // The competing client's reads a minute, in percent of the limit; the export is the budget section's.
    sharedBudget: { share: int('BENCH_SHARED_PERCENT', 30) / 100 },
    writes: { conversations: int('BENCH_WRITES_CONVERSATIONS', 10_000) },
    naive: {
      // The naive way sends one write per thread with a 200 ms pause plus the latency: ~600 ms a thread.
      conversations: int('BENCH_NAIVE_CONVERSATIONS', 30),
      threadsPer: range('BENCH_NAIVE_THREADS', [10, 20]),
    },
    speed: { rows: int('BENCH_SPEED_ROWS', 500_000), rounds: int('BENCH_SPEED_ROUNDS', 5) },
    memory: { rows: [memoryRows[0] as number, memoryRows[1] as number] },
    json: {
      messages: int('BENCH_JSON_MESSAGES', 1_000_000),
      smallMessages: int('BENCH_JSON_SMALL_MESSAGES', 100_000),
      rounds: int('BENCH_JSON_ROUNDS', 3),
    },
    seed: int('BENCH_SEED', 20_260_401),
  };
}
