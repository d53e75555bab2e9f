import type { Logger } from 'pino';
import {
  checkTlsVerification,
  type EnvCredentials,
  type ResolvedConfig,
  readCredentials,
} from '../config/load.js';
import { startEmulator } from '../emulator/index.js';
import type { Credentials } from '../helpscout/token.js';
import { type ApiSession, type OpenApiEndpoint, openApiSession } from '../run/api-session.js';
import { systemClock } from '../util/clock.js';
import { FatalError } from '../util/errors.js';

/** The embedded emulator's demo app: it accepts these and nothing else. */
const EMBEDDED_CREDENTIALS: Credentials = {
  kind: 'client',
  appId: 'demo-app-id',
  appSecret: 'demo-app-secret',
};

/**
 * Where the run's requests go: Help Scout with the environment's credentials, or with `apiUrl: "embedded"`
 * the emulator started in this process, its data kept beside the state file so a rerun resumes against it.
 */
export function apiEndpointOf(config: ResolvedConfig, env: EnvCredentials, log: Logger): OpenApiEndpoint {
  const apiUrl = config.target.apiUrl;
  // Refused before anything is staged: the run could not send safely anyway.
  checkTlsVerification(apiUrl);
  // Found missing before the export is read, not after it is staged and planned.
  const credentials = apiUrl === 'embedded' ? EMBEDDED_CREDENTIALS : credentialsOf(env);
  return async () => {
    if (apiUrl === 'embedded') {
      const emulator = await startEmulator({ dataFile: `${config.state}.emulator.jsonl` });
      log.info({ event: 'emulator.started', url: emulator.url });
      return { apiUrl: emulator.url, credentials: EMBEDDED_CREDENTIALS, close: () => emulator.close() };
    }
    return { apiUrl, credentials, close: async () => {} };
  };
}

function credentialsOf(env: EnvCredentials): Credentials {
  if (env.accessToken) return { kind: 'token', accessToken: env.accessToken };
  if (env.appId && env.appSecret) return { kind: 'client', appId: env.appId, appSecret: env.appSecret };
  throw new FatalError(
    'CREDENTIALS_MISSING',
    'No credentials: set HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET (or HELPSCOUT_ACCESS_TOKEN) in the environment or in .env.',
  );
}

/** A session for the commands that only read or delete (no run to stop): the environment's credentials. */
export function openCommandSession(config: ResolvedConfig, log: Logger): Promise<ApiSession> {
  return openApiSession(
    config,
    apiEndpointOf(config, readCredentials(), log),
    systemClock,
    new AbortController().signal,
    log,
  );
}
