import { DEFAULT_SEED } from '../../src/emulator/index.js';
import { clientOverEmulator } from '../support/emulator-client.js';
import { FakeHelpScout } from '../support/fake-api.js';
import { describeHelpScoutApiContract } from './helpscout-api-contract.js';

// One suite, every implementation: the emulator is the reference, the fake must answer as it does.
describeHelpScoutApiContract('FakeHelpScout', async () => {
  const fake = new FakeHelpScout({ users: DEFAULT_SEED.users });
  return { api: fake, merge: (from, into) => fake.merge(from, into), close: async () => {} };
});

describeHelpScoutApiContract('HelpScoutClient over the emulator', async () => {
  // Small pages, so that every list in the suite spans several.
  const { emulator, client, close } = await clientOverEmulator({ threadPageSize: 5, listPageSize: 3 });
  return { api: client, merge: (from, into) => emulator.merge(from, into), close };
});
