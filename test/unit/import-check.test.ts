import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EmulatorState, StoredConversation, StoredThread } from '../../src/emulator/index.js';
import type { ThreadRow } from '../../src/source/types.js';
import { checkImport, type MappingRow } from '../support/import-check.js';

/** The end-to-end checks are only worth something if this checker can fail: each defect below must be caught. */
function row(i: number, createdAt: string): ThreadRow {
  return {
    pos: { file: 'a.csv', row: i + 1, line: i + 2, seq: i },
    conversationId: 'c1',
    createdAt,
    text: `message ${i}`,
    role: 'customer',
    customer: { email: 'a@example.com' },
    tags: [],
    attachments: [],
    raw: {},
  };
}

function stored(r: ThreadRow, id: number): StoredThread {
  return {
    id,
    type: 'chat',
    body: r.text,
    createdAt: r.createdAt,
    imported: true,
    customerId: 1,
    createdBy: { type: 'customer', id: 1 },
    attachments: [],
  };
}

function conversation(id: number, threads: StoredThread[]): StoredConversation {
  return {
    id,
    number: id,
    subject: 's',
    type: 'chat',
    mailboxId: 1,
    status: 'closed',
    customerId: 1,
    createdBy: { type: 'customer', id: 1 },
    imported: true,
    createdAt: threads[0]?.createdAt ?? '',
    modifiedAt: '',
    assigneeId: null,
    tags: [],
    threads,
    insertedAtMs: 0,
  };
}

function state(conversations: StoredConversation[]): EmulatorState {
  return { mailboxes: [], users: [], customers: [], conversations, tags: [] };
}

const rows = [row(0, '2024-01-01T10:00:00Z'), row(1, '2024-01-01T10:00:01Z'), row(2, '2024-01-01T10:00:02Z')];
const mapping: MappingRow[] = [{ source: 'c1', part: 1, hs: 10, threads: 3 }];

describe('checkImport', () => {
  it('passes a correct import', () => {
    const threads = rows.map((r, i) => stored(r, i));
    assert.deepEqual(checkImport(state([conversation(10, threads)]), rows, mapping), []);
  });

  it('catches a duplicated thread', () => {
    const threads = [...rows.map((r, i) => stored(r, i)), stored(rows[2] as ThreadRow, 9)];
    assert.notDeepEqual(checkImport(state([conversation(10, threads)]), rows, mapping), []);
  });

  it('catches a duplicated conversation that no mapping row accounts for', () => {
    const threads = rows.map((r, i) => stored(r, i));
    assert.notDeepEqual(
      checkImport(state([conversation(10, threads), conversation(11, threads)]), rows, mapping),
      [],
    );
  });

  it('catches a lost thread, a wrong order, a shifted time and a missing imported flag', () => {
    const lost = rows.slice(0, 2).map((r, i) => stored(r, i));
    assert.notDeepEqual(checkImport(state([conversation(10, lost)]), rows, mapping), []);
    const swapped = [
      stored(rows[1] as ThreadRow, 0),
      stored(rows[0] as ThreadRow, 1),
      stored(rows[2] as ThreadRow, 2),
    ];
    assert.notDeepEqual(checkImport(state([conversation(10, swapped)]), rows, mapping), []);
    const shifted = rows.map((r, i) => ({
      ...stored(r, i),
      createdAt: i === 1 ? '2024-01-01T10:00:09Z' : r.createdAt,
    }));
    assert.notDeepEqual(checkImport(state([conversation(10, shifted)]), rows, mapping), []);
    const notImported = rows.map((r, i) => ({ ...stored(r, i), imported: i !== 0 }));
    assert.notDeepEqual(checkImport(state([conversation(10, notImported)]), rows, mapping), []);
  });
});
