import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unknownCustomers } from '../../src/run/customer-check.js';
import { customerMemory, forgetCustomers } from '../../src/state/customers.js';
import type { PartRecord } from '../../src/state/parts.js';
import { StateStore } from '../../src/state/store.js';
import { clientOverEmulator } from '../support/emulator-client.js';
import { tempDir } from '../support/fixtures.js';

/** A part not yet created, of a conversation whose customer is named by id. */
function partOf(customerId: number, created = false): PartRecord {
  return {
    id: customerId,
    conversationKey: `c${customerId}`,
    partNo: 1,
    hsConversationId: created ? 1 : null,
    envelope: { subject: 's', customer: { id: customerId }, tags: [], status: 'closed' },
  };
}

/** Reads of one customer made so far, all answers together. */
function customerReads(stats: { requests: Record<string, Record<string, number>> }): number {
  const answers = stats.requests['GET /v2/customers/{id}'] ?? {};
  return Object.values(answers).reduce((n, count) => n + count, 0);
}

describe('customer ids found once are not read again', () => {
  it('remembers in the state file the ids Help Scout has, and reads again the ones it has not', async () => {
    const { emulator, client, close } = await clientOverEmulator();
    const path = join(tempDir('customer-memory'), 'state.sqlite');
    try {
      // The emulator's seed has customers 501–503; 999 is none.
      const parts = [partOf(501), partOf(502), partOf(502), partOf(999), partOf(503, true)];
      let store = StateStore.open(path);
      assert.deepEqual([...(await unknownCustomers(client, parts, customerMemory(store)))], [999]);
      assert.equal(customerReads(emulator.stats()), 3, 'one read a distinct id of a part not yet created');
      store.close();

      // The next run: only the id not found is read again (it may have been made meanwhile).
      store = StateStore.open(path);
      assert.deepEqual([...(await unknownCustomers(client, parts, customerMemory(store)))], [999]);
      assert.equal(customerReads(emulator.stats()), 4);

      // Pointed at another account: every id is read again there.
      forgetCustomers(store);
      await unknownCustomers(client, parts, customerMemory(store));
      assert.equal(customerReads(emulator.stats()), 7);
      store.close();

      // Without a memory (validate --online), every id is read.
      await unknownCustomers(client, parts);
      assert.equal(customerReads(emulator.stats()), 10);
    } finally {
      await close();
    }
  });
});
