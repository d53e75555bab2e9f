import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.js';
import { HelpScoutClient } from '../helpscout/client.js';
import { withLog } from '../helpscout/layers/log.js';
import { RateLimiter } from '../helpscout/rate-limiter.js';
import { type Credentials, TokenProvider } from '../helpscout/token.js';
import { createTransport } from '../helpscout/transport.js';
import type { Clock } from '../util/clock.js';

/** Where requests go and with which credentials; the CLI opens it (and may start the emulator for it). */
export interface ApiEndpoint {
  apiUrl: string;
  credentials: Credentials;
  close(): Promise<void>;
}

export type OpenApiEndpoint = () => Promise<ApiEndpoint>;

export interface ApiSession {
  client: HelpScoutClient;
  limiter: RateLimiter;
  apiUrl: string;
  close(): Promise<void>;
}

/** The client stack over one endpoint: transport, rate limiter, token, client. */
export async function openApiSession(
  config: ResolvedConfig,
  openEndpoint: OpenApiEndpoint,
  clock: Clock,
  signal: AbortSignal,
  log?: Logger,
): Promise<ApiSession> {
  const endpoint = await openEndpoint();
  const { apiUrl, credentials } = endpoint;
  const transport = createTransport(apiUrl, {
    timeoutMs: config.requestTimeoutMs,
    connections: config.concurrency + 2,
  });
  const limiter = new RateLimiter(clock, { limit: config.rateLimit });
  // The token's requests are logged like the others at debug (their bodies, a secret, only masked at trace).
  const tokenSend = log ? withLog(log, clock)(transport.send) : transport.send;
  const tokens = new TokenProvider(tokenSend, credentials, clock, config.retry, signal);
  let lastThrottleLog = Number.NEGATIVE_INFINITY;
  const client = new HelpScoutClient({
    send: transport.send,
    tokens,
    limiter,
    clock,
    signal,
    retry: config.retry,
    maxInFlight: config.concurrency,
    throttleTimeoutMs: config.throttleTimeoutMinutes * 60_000,
    ...(log ? { log } : {}),
    onThrottled: (waitMs, path) => {
      // Once a minute at most: a long wait for the budget is visible, a burst of 429s is not a flood.
      if (clock.now() - lastThrottleLog < 60_000) return;
      lastThrottleLog = clock.now();
      log?.warn(
        { event: 'rate-limit.waiting', waitMs, path, throttled: limiter.stats.throttled },
        `Help Scout answered 429: waiting ${Math.ceil(waitMs / 1000)} s for the rate-limit window`,
      );
    },
  });
  return {
    client,
    limiter,
    apiUrl,
    close: async () => {
      await transport.close();
      await endpoint.close();
    },
  };
}
