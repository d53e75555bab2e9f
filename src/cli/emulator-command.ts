import { startEmulator } from '../emulator/index.js';
import { FatalError } from '../util/errors.js';

export interface EmulatorCommandOptions {
  port: string;
  host: string;
  rateLimit: string;
  data?: string;
  faults?: string;
}

/** `hs-import emulator`: the emulator as a server until SIGINT/SIGTERM. */
export async function runEmulatorCommand(options: EmulatorCommandOptions): Promise<number> {
  let faults: unknown;
  if (options.faults) {
    try {
      faults = JSON.parse(options.faults);
    } catch {
      throw new FatalError('USAGE', '--faults must be JSON, e.g. {"seed":1,"dropAfterCommit":0.05}');
    }
  }
  const emulator = await startEmulator({
    host: options.host,
    port: Number(options.port),
    rateLimitPerMinute: Number(options.rateLimit),
    ...(options.data ? { dataFile: options.data } : {}),
    ...(faults ? { faults: faults as never } : {}),
  });
  process.stdout.write(
    `Help Scout emulator listening at ${emulator.url} (app id demo-app-id, secret demo-app-secret)\n` +
      `Web view of the account: ${emulator.url.replace(/v2\/$/, '')}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await emulator.close();
  return 0;
}
