/** One field error of a vnd.error body. */
export interface FieldError {
  path: string;
  message: string;
  rejectedValue?: unknown;
}

/**
 * An answer other than success, thrown by handlers and rendered by the server as `application/vnd.error+json`
 * (`{logRef, message, _embedded.errors[]}`), the shape Help Scout uses.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    errors: FieldError[] = [],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
    this.headers = headers;
  }

  static badRequest(errors: FieldError[]): ApiError {
    return new ApiError(400, 'Bad request', errors);
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, `${what} not found`);
  }
}

export function vndErrorBody(err: ApiError, logRef: string): Record<string, unknown> {
  const body: Record<string, unknown> = { logRef, message: err.message };
  if (err.errors.length > 0) {
    body._embedded = {
      errors: err.errors.map((e) => ({
        path: e.path,
        message: e.message,
        rejectedValue: e.rejectedValue === undefined ? null : e.rejectedValue,
        source: 'JSON',
      })),
    };
  }
  return body;
}
