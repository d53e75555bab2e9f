import { type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { HelpScoutClient } from '../../src/helpscout/client.js';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { TokenProvider } from '../../src/helpscout/token.js';
import { createTransport } from '../../src/helpscout/transport.js';
import { systemClock } from '../../src/util/clock.js';

/** The real client over an emulator of its own (port 0, the demo app's credentials, no rate limit to wait on). */
export async function clientOverEmulator(options: EmulatorOptions = {}) {
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, ...options });
  const transport = createTransport(emulator.url, { timeoutMs: 10_000, connections: 4 });
  const client = new HelpScoutClient({
    send: transport.send,
    tokens: new TokenProvider(
      transport.send,
      { kind: 'client', appId: 'demo-app-id', appSecret: 'demo-app-secret' },
      systemClock,
    ),
    limiter: new RateLimiter(systemClock, { limit: 1_000_000 }),
    clock: systemClock,
    retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 },
  });
  return {
    emulator,
    client,
    close: async () => {
      await transport.close();
      await emulator.close();
    },
  };
}
