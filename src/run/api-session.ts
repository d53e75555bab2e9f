import type { Logger } from 'pino';
import type { EnvCredentials, ResolvedConfig } from '../config/load.js';
import { startEmulator } from '../emulator/index.js';
import { HelpScoutClient } from '../helpscout/client.js';
import { RateLimiter } from '../helpscout/rate-limiter.js';
import { type Credentials, TokenProvider } from '../helpscout/token.js';
import { createTransport } from '../helpscout/transport.js';
import type { Clock } from '../util/clock.js';
import { FatalError } from '../util/errors.js';

/** The embedded emulator's demo app: it accepts these and nothing else. */
const EMBEDDED_CREDENTIALS: Credentials = {
  kind: 'client',
  appId: 'demo-app-id',
  appSecret: 'demo-app-secret',
};

export interface ApiSession {
  client: HelpScoutClient;
  limiter: RateLimiter;
  apiUrl: string;
  close(): Promise<void>;
}

/**
 * Connects to Help Scout, or with `apiUrl: "embedded"` starts the emulator in this process, keeping its data
 * beside the state file so a rerun resumes against the same data.
 */
export async function openApiSession(
  config: ResolvedConfig,
  env: EnvCredentials,
  clock: Clock,
  log: Logger,
  signal: AbortSignal,
): Promise<ApiSession> {
  let apiUrl = config.target.apiUrl;
  let credentials: Credentials;
  let closeEmulator = async () => {};
  if (apiUrl === 'embedded') {
    const emulator = await startEmulator({ dataFile: `${config.state}.emulator.jsonl` });
    apiUrl = emulator.url;
    credentials = EMBEDDED_CREDENTIALS;
    closeEmulator = () => emulator.close();
    log.info({ event: 'emulator.started', url: apiUrl });
  } else if (env.accessToken) {
    credentials = { kind: 'token', accessToken: env.accessToken };
  } else if (env.appId && env.appSecret) {
    credentials = { kind: 'client', appId: env.appId, appSecret: env.appSecret };
  } else {
    throw new FatalError(
      'CREDENTIALS_MISSING',
      'No credentials: set HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET (or HELPSCOUT_ACCESS_TOKEN) in the environment or in .env.',
    );
  }
  const transport = createTransport(apiUrl, {
    timeoutMs: config.requestTimeoutMs,
    connections: config.concurrency + 2,
  });
  const limiter = new RateLimiter(clock, { limit: config.rateLimit });
  const tokens = new TokenProvider(transport.send, credentials, clock);
  const client = new HelpScoutClient({
    send: transport.send,
    tokens,
    limiter,
    clock,
    signal,
    retry: config.retry,
  });
  return {
    client,
    limiter,
    apiUrl,
    close: async () => {
      await transport.close();
      await closeEmulator();
    },
  };
}
