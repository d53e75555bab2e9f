import { request } from 'undici';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  json: any;
}

export interface SendOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends one request; an object body is sent as JSON, a string as is. */
export async function send(url: string, o: SendOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { ...o.headers };
  let body: string | undefined;
  if (typeof o.body === 'string') body = o.body;
  else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(url, { method: (o.method ?? 'GET') as 'GET', headers, body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export async function getToken(
  emu: Emulator,
  id = 'demo-app-id',
  secret = 'demo-app-secret',
): Promise<string> {
  const res = await send(`${emu.url}oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: id,
      client_secret: secret,
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.json.access_token as string;
}

export interface Session {
  emu: Emulator;
  token: string;
  /** `path` is relative to the emulator's `/v2/` base, e.g. `conversations/100001/threads`. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  close(): Promise<void>;
}

export async function openSession(opts: EmulatorOptions = {}): Promise<Session> {
  const emu = await startEmulator(opts);
  const token = await getToken(emu);
  return {
    emu,
    token,
    call: (method, path, body, headers) =>
      send(`${emu.url}${path}`, { method, body, headers: { authorization: `Bearer ${token}`, ...headers } }),
    close: () => emu.close(),
  };
}

/** A minimal valid Create Conversation body; `over` replaces top-level keys. */
export function conversationBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: 'Order 1234',
    type: 'chat',
    mailboxId: 1,
    status: 'active',
    customer: { id: 501 },
    threads: [{ type: 'chat', text: 'Hello' }],
    ...over,
  };
}

export function chatThreads(n: number, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'chat', text: `line ${i + 1}`, ...extra }));
}

/** Creates a conversation and returns its id (asserting the 201). */
export async function createConversation(s: Session, over: Record<string, unknown> = {}): Promise<number> {
  const res = await s.call('POST', 'conversations', conversationBody(over));
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return Number(res.headers['resource-id']);
}

/** The field paths of a vnd.error body. */
export function errorPaths(res: Res): string[] {
  return ((res.json?._embedded?.errors ?? []) as { path: string }[]).map((e) => e.path);
}
