import type { VndError } from '../api/api-types.js';
import { type FieldError, formatFieldErrors } from '../api/field-errors.js';
import { HsImportError } from '../util/errors.js';

export type { FieldError } from '../api/field-errors.js';

/** Help Scout answered with an error status. The request, its headers and its token are never kept. */
export class ApiError extends HsImportError {
  readonly status: number;
  readonly errors: FieldError[];

  constructor(
    method: string,
    path: string,
    status: number,
    body: VndError | undefined,
    extra: Record<string, unknown> = {},
  ) {
    const errors = body?._embedded?.errors ?? [];
    const detail = formatFieldErrors(errors);
    super(
      `API_${status}`,
      `${method} ${path} answered ${status}${body?.message ? ` ${body.message}` : ''}${detail ? ` (${detail})` : ''}`,
      { method, path, status, ...extra },
    );
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
  }
}

/**
 * The request may or may not have been carried out: timeout, reset, dropped connection, or a 5xx after the
 * body was sent. A create in this state is resolved by reading back, never by sending it again blindly.
 */
export class InDoubtError extends HsImportError {
  constructor(method: string, path: string, reason: string, options?: { cause?: unknown }) {
    super('IN_DOUBT', `${method} ${path}: answer lost (${reason})`, { method, path, reason }, options);
    this.name = 'InDoubtError';
  }
}

/** The request certainly did not reach the server (connection refused, name not resolved): safe to resend. */
export class NotSentError extends HsImportError {
  constructor(method: string, path: string, reason: string, options?: { cause?: unknown }) {
    super('NOT_SENT', `${method} ${path}: not sent (${reason})`, { method, path, reason }, options);
    this.name = 'NotSentError';
  }
}
