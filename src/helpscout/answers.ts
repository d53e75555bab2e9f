import type { VndError } from '../api/api-types.js';
import { HsImportError } from '../util/errors.js';
import { pathOf } from './layers/layer.js';
import { type HttpRequest, type HttpResponse, header } from './transport.js';

/** The id of what a create made, from `Resource-ID` (thread creates carried none before 2023). */
export function resourceId(res: HttpResponse): number | undefined {
  const raw = header(res, 'resource-id');
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Only a conversation's `Location` names an id; a thread's id is never taken from a header but Resource-ID. */
export function conversationIdOf(location: string | undefined): number | undefined {
  const match = location?.match(/\/conversations\/(\d+)\/?$/);
  return match ? Number(match[1]) : undefined;
}

export function parseError(res: HttpResponse): VndError | undefined {
  try {
    const parsed = JSON.parse(res.body) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as VndError) : undefined;
  } catch {
    return undefined;
  }
}

/** Help Scout's message for an error answer, or the first bytes of whatever came instead. */
export function answerMessage(res: HttpResponse): string {
  return parseError(res)?.message ?? `body ${firstBytes(res.body)}`;
}

/** The start of a body, on one line, for an error message. */
export function firstBytes(body: string, max = 80): string {
  if (body.length === 0) return '(empty)';
  const flat = body.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

export function isJsonBody(res: HttpResponse): boolean {
  try {
    const parsed = JSON.parse(res.body) as unknown;
    return parsed !== null && typeof parsed === 'object';
  } catch {
    return false;
  }
}

/** An answer that is not what Help Scout sends (an HTML page, an empty or cut-off body): a read tries again. */
export class BadAnswerError extends HsImportError {
  constructor(req: HttpRequest, res: HttpResponse) {
    super(
      'BAD_ANSWER',
      `${req.method} ${pathOf(req.path)} answered ${res.status} with something that is not Help Scout's JSON: ${firstBytes(res.body)}`,
      { method: req.method, path: pathOf(req.path), status: res.status },
    );
    this.name = 'BadAnswerError';
  }
}
