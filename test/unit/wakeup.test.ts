import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Wakeup } from '../../src/util/wakeup.js';

describe('Wakeup', () => {
  it('wakes the sleeper at the next notify, and keeps no notify made while no one sleeps', async () => {
    const wakeup = new Wakeup();
    wakeup.notify();
    let woken = false;
    const sleeping = wakeup.sleep().then(() => {
      woken = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(woken, false, 'the earlier notify was not kept');
    wakeup.notify();
    await sleeping;
    assert.equal(woken, true);
    wakeup.notify();
  });
});
