import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { Agent, request } from 'undici';
import { WRITE_COST } from '../src/api/api-types.js';

/**
 * The straightforward importer that open-source migration scripts write: read the whole CSV, and for each
 * conversation create it with its first message, then post every further message on its own, pausing a
 * fixed time between requests sized to the rate limit (two points a write). It waits out a 429 and tries
 * again, which a careful script does too. It is the yardstick, not a product: no resume, no checkpoints.
 */
export interface NaiveResult {
  wallMs: number;
  writes: number;
  throttled: number;
  conversations: number;
  threads: number;
}

interface Row {
  conversation_id: string;
  created_at: string;
  text: string;
  author_role: string;
  customer_email: string;
  subject: string;
}

export async function naiveImport(options: {
  file: string;
  apiUrl: string;
  mailboxId: number;
  rateLimitPerMinute: number;
}): Promise<NaiveResult> {
  const started = performance.now();
  const pauseMs = 60_000 / (options.rateLimitPerMinute / WRITE_COST);
  const dispatcher = new Agent({ connections: 1 });
  const base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  let writes = 0;
  let throttled = 0;
  try {
    const token = await getToken(base, dispatcher);
    const rows = parse(readFileSync(options.file), { bom: true, columns: true }) as Row[];
    const conversations = new Map<string, Row[]>();
    for (const row of rows) {
      const list = conversations.get(row.conversation_id) ?? [];
      list.push(row);
      conversations.set(row.conversation_id, list);
    }
    const post = async (path: string, body: unknown): Promise<string | undefined> => {
      for (;;) {
        const res = await request(`${base}${path}`, {
          method: 'POST',
          dispatcher,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const answer = await res.body.text();
        writes += 1;
        if (res.statusCode === 429) {
          throttled += 1;
          await sleep(Number(res.headers['x-ratelimit-retry-after'] ?? 1) * 1000);
          continue;
        }
        if (res.statusCode >= 300)
          throw new Error(`POST ${path} answered ${res.statusCode}: ${answer.slice(0, 500)}`);
        await sleep(pauseMs);
        const id = res.headers['resource-id'];
        return Array.isArray(id) ? id[0] : id;
      }
    };
    let threads = 0;
    for (const [id, list] of conversations) {
      list.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
      const email = list.find((r) => r.customer_email)?.customer_email ?? `${id}@example.com`;
      const customer = { email };
      const [first, ...rest] = list as [Row, ...Row[]];
      const conversationId = await post('conversations', {
        subject: list.find((r) => r.subject)?.subject ?? `Chat ${id}`,
        type: 'chat',
        mailboxId: options.mailboxId,
        status: 'closed',
        customer,
        imported: true,
        createdAt: apiDate(first.created_at),
        threads: [{ type: 'chat', customer, text: first.text, createdAt: apiDate(first.created_at) }],
      });
      threads += 1;
      for (const row of rest) {
        const endpoint =
          row.author_role === 'agent' ? 'reply' : row.author_role === 'note' ? 'notes' : 'chats';
        await post(`conversations/${conversationId}/${endpoint}`, {
          customer,
          text: row.text,
          imported: true,
          createdAt: apiDate(row.created_at),
        });
        threads += 1;
      }
    }
    return {
      wallMs: performance.now() - started,
      writes,
      throttled,
      conversations: conversations.size,
      threads,
    };
  } finally {
    await dispatcher.close();
  }
}

/** The API takes `yyyy-MM-ddTHH:mm:ssZ` only. */
function apiDate(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function getToken(base: string, dispatcher: Agent): Promise<string> {
  const res = await request(`${base}oauth2/token`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo-app-id&client_secret=demo-app-secret',
  });
  const body = (await res.body.json()) as { access_token?: string };
  if (res.statusCode !== 200 || !body.access_token)
    throw new Error(`token request answered ${res.statusCode}`);
  return body.access_token;
}
