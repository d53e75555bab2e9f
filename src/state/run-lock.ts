import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a state file's run lock, as recorded in `meta`. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /**
   * When the process started, as the system tells it (absent in locks written before, or where it can't be
   * read): a live process with the same id but another start time is not the holder, the id was reused.
   */
  started?: string;
}

/**
 * A process's start time, from the kernel: on Linux the boot's id and field 22 of /proc/<pid>/stat (ticks
 * since boot, so a reboot changes the id), elsewhere `ps -o lstart`. Undefined when neither can be read.
 */
export function processStarted(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[22 - 3];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    if (ticks !== undefined) return `${boot}:${ticks}`;
  } catch {
    // Not Linux, or no such process: ask ps.
  }
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

export function currentHolder(now: Date): LockHolder {
  const me: LockHolder = { pid: process.pid, host: hostname(), since: now.toISOString() };
  const started = processStarted(process.pid);
  if (started !== undefined) me.started = started;
  return me;
}

/**
 * Whether the recorded holder may still be running. Another machine's process can't be checked: it counts
 * as alive rather than risk two runs. On this machine: a process by that id must exist and, when both start
 * times are known, be the one that took the lock.
 */
export function holderIsAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.started === undefined) return true;
  const started = processStarted(holder.pid);
  return started === undefined || started === holder.started;
}

export function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host} since ${holder.since}`;
}
