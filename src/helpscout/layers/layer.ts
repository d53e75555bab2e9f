import type { Send } from '../transport.js';

/** A wrapper around the request function: rate limit, authentication and retries are each one. */
export type Layer = (next: Send) => Send;

/** The layers in the order a request passes them, the first outermost, over the transport. */
export function stack(transport: Send, ...layers: Layer[]): Send {
  return layers.reduceRight<Send>((send, layer) => layer(send), transport);
}

/** The request's API path, for messages (never its query, which may name a customer). */
export function pathOf(path: string): string {
  try {
    return new URL(path, 'http://x/v2/').pathname;
  } catch {
    return path;
  }
}
