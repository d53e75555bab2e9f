import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planPending } from '../../src/run/plan.js';
import { stageSource } from '../../src/run/stage.js';
import { resolveUsers } from '../../src/run/users.js';
import type { SourceItem } from '../../src/source/types.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeHelpScout } from '../support/fake-api.js';
import { memoryStore } from '../support/keep-alive.js';

function row(seq: number, role: 'customer' | 'agent' | 'note', authorEmail?: string): SourceItem {
  return {
    kind: 'row',
    row: {
      pos: { file: 'a.csv', row: seq + 1, line: seq + 2, seq },
      conversationId: 'c1',
      createdAt: `2024-01-01T10:00:0${seq}Z`,
      text: `line ${seq}`,
      role,
      ...(authorEmail ? { authorEmail } : {}),
      customer: seq === 0 ? { email: 'ana@example.com' } : {},
      tags: [],
      attachments: [],
      raw: {},
    },
  };
}

async function* items(list: SourceItem[]): AsyncGenerator<SourceItem> {
  yield* list;
}

describe('resolveUsers', () => {
  it('looks up each agent and note author once, by exact email, and remembers the answer in the state file', async () => {
    const store = memoryStore();
    await stageSource(
      store,
      items([
        row(0, 'customer'),
        row(1, 'agent', 'Anna@Example.com'),
        row(2, 'agent', 'anna@example.com'),
        row(3, 'note', 'emma@example.com'),
      ]),
      1,
    );
    planPending(store, 1, {
      strategy: 'batch',
      maxRequestBytes: 256 * 1024,
      status: 'closed',
      tags: [],
      subjectTemplate: 's',
      partSubjectTemplate: 'p',
    });
    const api = new FakeHelpScout();
    const asked: string[] = [];
    api.findUserByEmail = async (email: string) => {
      asked.push(email);
      return email === 'anna@example.com' ? 1 : undefined;
    };
    const users = await resolveUsers(store, api, silentLogger());
    assert.equal(users.get('anna@example.com'), 1);
    assert.ok(users.has('emma@example.com') && users.get('emma@example.com') === undefined);
    assert.deepEqual(asked.sort(), ['anna@example.com', 'emma@example.com']);
    await resolveUsers(store, api, silentLogger());
    assert.equal(asked.length, 2, 'a rerun asks Help Scout nothing it already knows');
  });
});
