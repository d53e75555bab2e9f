import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EmulatorState, StoredConversation, StoredThread } from '../../src/emulator/index.js';
import type { ExpectedThread } from '../support/expected-threads.js';
import { checkImport, type MappingRow } from '../support/import-check.js';

/** The end-to-end checks are only worth something if this checker can fail: each defect below must be caught. */
function row(i: number, createdAt: string): ExpectedThread {
  return {
    pos: { file: 'a.csv', row: i + 1, seq: i },
    conversationId: 'c1',
    createdAt,
    text: `message ${i}`,
    role: 'customer',
    attachments: [],
  };
}

function stored(r: ExpectedThread, id: number): StoredThread {
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
    const threads = [...rows.map((r, i) => stored(r, i)), stored(rows[2] as ExpectedThread, 9)];
    assert.deepEqual(checkImport(state([conversation(10, threads)]), rows, mapping), [
      'c1: 4 threads in Help Scout, 3 in the export',
    ]);
  });

  it('catches a duplicated conversation that no mapping row accounts for', () => {
    const threads = rows.map((r, i) => stored(r, i));
    assert.deepEqual(
      checkImport(state([conversation(10, threads), conversation(11, threads)]), rows, mapping),
      ['Help Scout conversation 11 ("s") is in no mapping row: a duplicate?'],
    );
  });

  it('catches a lost thread, a wrong order, a shifted time and a missing imported flag', () => {
    const lost = rows.slice(0, 2).map((r, i) => stored(r, i));
    assert.deepEqual(checkImport(state([conversation(10, lost)]), rows, mapping), [
      'c1: 2 threads in Help Scout, 3 in the export',
    ]);
    const swapped = [
      stored(rows[1] as ExpectedThread, 0),
      stored(rows[0] as ExpectedThread, 1),
      stored(rows[2] as ExpectedThread, 2),
    ];
    assert.deepEqual(checkImport(state([conversation(10, swapped)]), rows, mapping), [
      'c1 thread 1 (a.csv row 1): createdAt 2024-01-01T10:00:01Z, expected 2024-01-01T10:00:00Z',
      'c1 thread 1 (a.csv row 1): body differs: "message 1"',
      'c1 thread 2 (a.csv row 2): createdAt 2024-01-01T10:00:00Z, expected 2024-01-01T10:00:01Z',
      'c1 thread 2 (a.csv row 2): body differs: "message 0"',
    ]);
    const shifted = rows.map((r, i) => ({
      ...stored(r, i),
      createdAt: i === 1 ? '2024-01-01T10:00:09Z' : r.createdAt,
    }));
    assert.deepEqual(checkImport(state([conversation(10, shifted)]), rows, mapping), [
      'c1 thread 2 (a.csv row 2): createdAt 2024-01-01T10:00:09Z, expected 2024-01-01T10:00:01Z',
    ]);
    const notImported = rows.map((r, i) => ({ ...stored(r, i), imported: i !== 0 }));
    assert.deepEqual(checkImport(state([conversation(10, notImported)]), rows, mapping), [
      'c1 thread 1 (a.csv row 1): not imported',
    ]);
  });

  it('catches a conversation out of its target status (re-opened) and one assigned to somebody', () => {
    const threads = rows.map((r, i) => stored(r, i));
    const reopened = { ...conversation(10, threads), status: 'active' as const };
    assert.deepEqual(checkImport(state([reopened]), rows, mapping), [
      'c1 part 1: status active, expected closed',
    ]);
    const assigned = { ...conversation(10, threads), assigneeId: 1 };
    assert.deepEqual(checkImport(state([assigned]), rows, mapping), [
      'c1 part 1: assigned to user 1, expected nobody',
    ]);
  });
});
