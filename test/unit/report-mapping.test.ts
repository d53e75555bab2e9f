import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { webUrlOf, writeMapping } from '../../src/report/write-reports.js';
import { readConversationLinks } from '../../src/run/conversation-links.js';
import type { MappingRow } from '../../src/state/report-rows.js';
import { tempDir } from '../support/temp-dir.js';

const row = (source: string, part: number, hs: number): MappingRow => ({
  source,
  part,
  hs,
  threads: 1,
  first: '2024-01-01T00:00:00Z',
  last: '2024-01-01T00:00:00Z',
  note: null,
});

describe('mapping.csv', () => {
  it('is sorted by source conversation (numbers in number order), then part, with links where known', () => {
    const dir = tempDir('mapping');
    const rows = [row('10', 1, 300), row('9', 2, 201), row('b', 1, 400), row('9', 1, 200), row('a', 1, 500)];
    writeMapping(rows, dir, new Map([[201, { number: 7, url: webUrlOf(201, 7) }]]));
    const lines = readFileSync(path.join(dir, 'mapping.csv'), 'utf8').trim().split('\r\n');
    assert.match(lines[0] ?? '', /,note,helpscout_number,helpscout_url$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',').slice(0, 3).join(',')),
      ['9,1,200', '9,2,201', '10,1,300', 'a,1,500', 'b,1,400'],
    );
    assert.ok(lines[2]?.endsWith(',7,https://secure.helpscout.net/conversation/201/7'));
    assert.ok(lines[1]?.endsWith(',,'));
  });

  it('reads each conversation once for its number; a missing one gets no link', async () => {
    const asked: number[] = [];
    const links = await readConversationLinks(
      {
        getConversation: async (id) => {
          asked.push(id);
          if (id === 3) return { kind: 'missing' };
          return {
            kind: 'found',
            conversation: { id, number: id * 10, status: 'closed', mailboxId: 1, createdAt: '' },
          };
        },
      },
      [1, 3, 1, 2],
    );
    assert.deepEqual(asked, [1, 3, 2]);
    assert.deepEqual(links.get(2), { number: 20, url: 'https://secure.helpscout.net/conversation/2/20' });
    assert.equal(links.has(3), false);
  });
});
