import { parentPort, Worker } from 'node:worker_threads';
import { FatalError, HsImportError } from '../util/errors.js';
import { Wakeup } from '../util/wakeup.js';

/** What a reading thread sends: a chunk, the end, or the error that ended it (errors do not cross whole). */
export type ThreadMessage<Chunk> =
  | { type: 'chunk'; chunk: Chunk }
  | { type: 'done' }
  | {
      type: 'error';
      error: { name: string; code: string; message: string; context: Record<string, unknown> };
    };

/** Chunks a reading thread may send ahead of those taken: bounds the memory. */
export const CHUNKS_AHEAD = 8;

/**
 * The main thread's side: starts the thread and yields its chunks, decoded, in order; asks for one more each
 * time one is taken. The thread's run-fatal errors are thrown here as they were thrown there. `stop` ends
 * the thread at once (what it was doing is no longer wanted): the generator then throws.
 */
export async function* chunksFromThread<Chunk, Out>(
  url: URL,
  workerData: unknown,
  youngGenerationMb: number,
  what: string,
  decode: (chunk: Chunk) => Out,
  stop?: AbortSignal,
): AsyncGenerator<Out> {
  const worker = new Worker(url, {
    workerData,
    resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
  });
  const terminate = () => void worker.terminate();
  stop?.addEventListener('abort', terminate, { once: true });
  const queue: ThreadMessage<Chunk>[] = [];
  let failure: Error | undefined;
  const wakeup = new Wakeup();
  worker.on('message', (message: ThreadMessage<Chunk>) => {
    queue.push(message);
    wakeup.notify();
  });
  worker.on('error', (error) => {
    failure = error;
    wakeup.notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the ${what} thread stopped (exit code ${code})`);
    wakeup.notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure) throw failure;
        await wakeup.sleep();
        continue;
      }
      if (message.type === 'done') return;
      if (message.type === 'error') throw rebuildError(message.error);
      // Taken: the thread may send one more.
      worker.postMessage('more');
      yield decode(message.chunk);
    }
  } finally {
    stop?.removeEventListener('abort', terminate);
    worker.removeAllListeners();
    await worker.terminate();
  }
}

/**
 * The reading thread's side: sends each chunk when the main thread has room for it, then the end, or the
 * error that stopped the reading. The main thread ends the thread once it has the last message.
 */
export async function serveChunks<Chunk>(chunks: AsyncIterable<Chunk>, chunksAhead: number): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('a reading thread runs as a worker thread');
  let credits = chunksAhead;
  const wakeup = new Wakeup();
  port.on('message', () => {
    credits += 1;
    wakeup.notify();
  });
  const post = (message: ThreadMessage<Chunk>) => port.postMessage(message);
  try {
    for await (const chunk of chunks) {
      while (credits === 0) await wakeup.sleep();
      credits -= 1;
      post({ type: 'chunk', chunk });
    }
    post({ type: 'done' });
  } catch (error) {
    const known = error instanceof HsImportError;
    post({
      type: 'error',
      error: {
        name: known ? error.name : 'Error',
        code: known ? error.code : '',
        message: error instanceof Error ? error.message : String(error),
        context: known ? error.context : {},
      },
    });
  }
}

function rebuildError(error: Extract<ThreadMessage<unknown>, { type: 'error' }>['error']): Error {
  if (error.name === 'FatalError') return new FatalError(error.code, error.message, error.context);
  if (error.name === 'HsImportError') return new HsImportError(error.code, error.message, error.context);
  return new Error(error.message);
}
