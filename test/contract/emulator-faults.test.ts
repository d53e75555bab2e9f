import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/util/clock.js';
import { conversationBody, openSession, type Session } from './emulator-helpers.js';

const create = (s: Session) => s.call('POST', 'conversations', conversationBody());

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'condition not reached');
}

test('serverErrorBeforeCommit answers 5xx and does nothing; reads are spared with appliesTo: writes', async () => {
  const s = await openSession({ faults: { seed: 7, serverErrorBeforeCommit: 1 } });
  try {
    const res = await create(s);
    assert.ok(res.status === 500 || res.status === 503, String(res.status));
    assert.equal(s.emu.state().conversations.length, 0);
    assert.equal((await s.call('GET', 'mailboxes')).status, 200);
    assert.equal(s.emu.stats().faults.serverError, 1);
    s.emu.setFaults({ appliesTo: 'all', serverErrorBeforeCommit: 1 });
    assert.ok((await s.call('GET', 'mailboxes')).status >= 500);
    s.emu.setFaults(undefined);
    assert.equal((await create(s)).status, 201);
  } finally {
    await s.close();
  }
});

test('dropAfterCommit commits the write, then destroys the socket without answering', async () => {
  const s = await openSession({ faults: { dropAfterCommit: 1 } });
  try {
    await assert.rejects(create(s));
    assert.equal(s.emu.state().conversations.length, 1, 'the write happened');
    assert.equal(s.emu.stats().faults.dropAfterCommit, 1);
    assert.equal(s.emu.stats().requests['POST /v2/conversations']?.dropped, 1);
  } finally {
    await s.close();
  }
});

test('resetBeforeCommit destroys the socket before anything happens', async () => {
  const s = await openSession({ faults: { resetBeforeCommit: 1 } });
  try {
    await assert.rejects(create(s));
    assert.equal(s.emu.state().conversations.length, 0);
    assert.equal(s.emu.stats().faults.resetBeforeCommit, 1);
    assert.equal(s.emu.stats().pointsSpent, 0);
  } finally {
    await s.close();
  }
});

test('stall holds the request stallMs on the clock, commits nothing, then drops it', async () => {
  const clock = new FakeClock();
  const s = await openSession({ clock, faults: { stall: 1, stallMs: 90_000 } });
  try {
    let settled = false;
    const pending = create(s).finally(() => {
      settled = true;
    });
    await waitFor(() => clock.pending === 1);
    clock.advance(89_999);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false);
    clock.advance(1);
    await assert.rejects(pending);
    assert.equal(s.emu.state().conversations.length, 0);
    assert.equal(s.emu.stats().faults.stall, 1);
  } finally {
    await s.close();
  }
});

test('faults are deterministic for a seed and request sequence', async () => {
  const run = async (seed: number) => {
    const s = await openSession({ faults: { seed, serverErrorBeforeCommit: 0.5 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await create(s)).status);
      return statuses;
    } finally {
      await s.close();
    }
  };
  const a = await run(42);
  assert.deepEqual(await run(42), a);
  assert.ok(a.includes(201) && a.some((x) => x >= 500), `a mix of outcomes: ${a}`);
  assert.notDeepEqual(await run(43), a);
});

test('latencyMs delays every request on the injected clock', async () => {
  const clock = new FakeClock();
  const s = await openSession({ clock });
  try {
    s.emu.setFaults({ latencyMs: [1_000, 1_000] });
    let settled = false;
    const pending = s.call('GET', 'mailboxes').finally(() => {
      settled = true;
    });
    await waitFor(() => clock.pending === 1);
    assert.equal(settled, false);
    clock.advance(1_000);
    assert.equal((await pending).status, 200);
  } finally {
    await s.close();
  }
});
