import { DEFAULT_SEED, startEmulator } from '../../src/emulator/index.js';
import { HelpScoutClient } from '../../src/helpscout/client.js';
import { RateLimiter } from '../../src/helpscout/rate-limiter.js';
import { TokenProvider } from '../../src/helpscout/token.js';
import { createTransport } from '../../src/helpscout/transport.js';
import { systemClock } from '../../src/util/clock.js';
import { FakeHelpScout } from '../support/fake-api.js';
import { describeHelpScoutApiContract } from './helpscout-api-contract.js';

// One suite, every implementation: the emulator is the reference, the fake must answer as it does.
describeHelpScoutApiContract('FakeHelpScout', async () => {
  const fake = new FakeHelpScout({ users: DEFAULT_SEED.users });
  return { api: fake, merge: (from, into) => fake.merge(from, into), close: async () => {} };
});

describeHelpScoutApiContract('HelpScoutClient over the emulator', async () => {
  // Small pages, so that every list in the suite spans several.
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, threadPageSize: 5, listPageSize: 3 });
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
    api: client,
    merge: (from, into) => emulator.merge(from, into),
    close: async () => {
      await transport.close();
      await emulator.close();
    },
  };
});
