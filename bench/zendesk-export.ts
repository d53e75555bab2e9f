import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../test/support/generate-export.js';
import { BENCH_TMP } from './workspace.js';

const WORDS = 'order delivery refund parcel thanks please help invoice account address tomorrow today'.split(
  ' ',
);

/**
 * A Zendesk-shaped JSONL export (a ticket a line, requester and assignee objects, comments with `plain_body`,
 * `public` and `author_id`) of exactly `messages` comments, 2–8 a ticket, seeded; cached like the CSV exports.
 */
export async function zendeskExport(
  seed: number,
  messages: number,
): Promise<{ path: string; messages: number }> {
  mkdirSync(BENCH_TMP, { recursive: true });
  const path = join(BENCH_TMP, `zendesk-${seed}-${messages}.jsonl`);
  if (existsSync(path)) return { path, messages };
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const random = prng(seed);
  const pick = () => WORDS[Math.floor(random() * WORDS.length)] as string;
  const start = Date.parse('2024-01-01T00:00:00Z');
  let written = 0;
  for (let ticket = 1; written < messages; ticket++) {
    const count = Math.min(2 + Math.floor(random() * 7), messages - written);
    const requester = { id: 1_000_000 + ticket, name: `Customer ${ticket}`, email: `c${ticket}@example.com` };
    const agent = { id: 42, name: 'Agent Smith', email: 'agent@acme.example' };
    const comments = [];
    for (let i = 0; i < count; i++) {
      const author = i % 2 === 0 ? requester : agent;
      const text = Array.from({ length: 8 + Math.floor(random() * 30) }, pick).join(' ');
      comments.push({
        id: ticket * 100 + i,
        type: 'Comment',
        author_id: author.id,
        body: text,
        plain_body: `${text} &gt; done`,
        html_body: `<p>${text}</p>`,
        public: random() > 0.1,
        created_at: `${new Date(start + ticket * 60_000 + i * 1000).toISOString().slice(0, 19)}Z`,
      });
    }
    const line = JSON.stringify({
      id: ticket,
      subject: `Ticket ${ticket}: ${pick()} ${pick()}`,
      status: random() > 0.5 ? 'solved' : 'open',
      tags: [pick(), pick()],
      requester,
      assignee: agent,
      created_at: comments[0]?.created_at,
      comments,
    });
    written += count;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, path);
  return { path, messages };
}
