import { request } from 'undici';
import type { Emulator } from '../../src/emulator/index.js';

export interface WebRes {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  text: string;
}

/** GETs a page of the web view (no token: the view needs none). */
export async function web(emu: Emulator, path: string, method = 'GET'): Promise<WebRes> {
  const base = emu.url.replace(/v2\/$/, '');
  const res = await request(`${base}${path.replace(/^\//, '')}`, { method: method as 'GET' });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, bytes, text: bytes.toString('utf8') };
}

/** The hrefs of the page's links, in page order. */
export function links(page: string): string[] {
  return [...page.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
}

/** Every start tag of the page that carries an event-handler attribute (there must be none). */
export function eventHandlers(page: string): string[] {
  return [...page.matchAll(/<[a-z][^>]*\son[a-z]+\s*=/gi)].map((m) => m[0]);
}
