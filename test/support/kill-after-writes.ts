import type { ChildProcess } from 'node:child_process';
import type { Emulator } from '../../src/emulator/index.js';
import { writesReceived } from './import-check.js';

/**
 * SIGKILLs `child` once the emulator has received `writes` more writes than when this was called: the kill
 * follows the run's progress, not the clock, so a slow machine moves it no later in the run. Resolves when
 * the child has exited (killed or not).
 */
export async function killAfterWrites(
  emulator: Emulator,
  child: ChildProcess,
  writes: number,
  exited: Promise<unknown>,
): Promise<void> {
  const target = writesReceived(emulator) + writes;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    if (writesReceived(emulator) >= target) {
      child.kill('SIGKILL');
      break;
    }
    // A look at the emulator's counters every few milliseconds: the pause only spares the CPU, it is no deadline.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await exited;
}
