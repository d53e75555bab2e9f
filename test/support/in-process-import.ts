import { built } from './built.js';
import { ENV } from './cli.js';

/**
 * One `import` run in this process, as the CLI would do it with `configFile`, plus what only a test may
 * inject: `readBack: false` resends in-doubt writes blindly, to prove the checks catch the duplicates. The
 * built modules run it, since reading the export starts a worker thread.
 */
export async function importInProcess(
  configFile: string,
  cwd: string,
  inject: { readBack?: boolean; retryFailed?: boolean } = {},
): Promise<number> {
  const { loadConfig, readCredentials } =
    await built<typeof import('../../src/config/load.js')>('config/load.js');
  const { apiEndpointOf } =
    await built<typeof import('../../src/cli/api-endpoint.js')>('cli/api-endpoint.js');
  const { exitCodeOf } = await built<typeof import('../../src/cli/exit-codes.js')>('cli/exit-codes.js');
  const { runImport } = await built<typeof import('../../src/run/import.js')>('run/import.js');
  const { StateStore } = await built<typeof import('../../src/state/store.js')>('state/store.js');
  const { systemClock } = await built<typeof import('../../src/util/clock.js')>('util/clock.js');
  const { silentLogger } = await built<typeof import('../../src/util/logger.js')>('util/logger.js');
  const config = loadConfig(configFile, {}, cwd);
  const log = silentLogger();
  const store = StateStore.open(config.state);
  try {
    store.acquireLock();
    const summary = await runImport({
      config,
      store,
      openEndpoint: apiEndpointOf(config, readCredentials(ENV, cwd), log),
      clock: systemClock,
      log,
      stop: new AbortController().signal,
      ...inject,
    });
    return exitCodeOf(summary.outcome);
  } finally {
    store.close();
  }
}
