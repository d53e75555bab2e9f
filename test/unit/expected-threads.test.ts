import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedImport, expectedTimestamp } from '../support/expected-threads.js';
import { demoFacts, demoFiles } from '../support/fixtures.js';

// The end-to-end oracle is judged against the demo README's stated facts, not against the importer.
describe('the end-to-end oracle', () => {
  it('reads the documented timestamp forms', () => {
    assert.equal(expectedTimestamp('2024-03-05T14:07:09Z', 'UTC'), '2024-03-05T14:07:09Z');
    assert.equal(expectedTimestamp('2024-03-05T14:07:09.999999Z', 'UTC'), '2024-03-05T14:07:09Z');
    assert.equal(expectedTimestamp('2024-03-05 14:07:09+0200', 'UTC'), '2024-03-05T12:07:09Z');
    assert.equal(expectedTimestamp('2024-03-05T14:07:09-05:00', 'UTC'), '2024-03-05T19:07:09Z');
    assert.equal(expectedTimestamp('2024-07-05 14:07:09', 'Europe/Paris'), '2024-07-05T12:07:09Z');
    assert.equal(expectedTimestamp('2024-01-05 14:07:09', 'Europe/Paris'), '2024-01-05T13:07:09Z');
    assert.equal(expectedTimestamp('2024-02-30 10:00:00', 'UTC'), undefined);
    assert.equal(expectedTimestamp('yesterday', 'UTC'), undefined);
  });

  it('finds the demo README’s valid rows, rejects and threads per conversation', () => {
    const facts = demoFacts();
    const { threads, rejectsByField } = expectedImport(demoFiles(), facts.timezone);
    assert.equal(threads.length, facts.validRows);
    assert.deepEqual(rejectsByField, facts.rejectsByField);
    const perConversation: Record<string, number> = {};
    for (const t of threads) perConversation[t.conversationId] = (perConversation[t.conversationId] ?? 0) + 1;
    assert.deepEqual(perConversation, facts.threadsByConversation);
  });

  it('escapes plain text as HTML and keeps its line breaks as <br>', () => {
    const { threads } = expectedImport(demoFiles(), demoFacts().timezone);
    const quoted = threads.find((t) => t.text.startsWith('Line one'));
    assert.equal(quoted?.text, 'Line one<br>line two, with a comma<br>line three "quoted"');
  });
});
