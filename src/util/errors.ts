/**
 * One error base class; every error has a stable `code` that callers match on, and context without secrets.
 */
export class HsImportError extends Error {
  readonly code: string;
  readonly context: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HsImportError';
    this.code = code;
    this.context = context;
  }
}

/** A run-fatal problem (exit 1): bad config, unreadable source, bad credentials, state held by another run. */
export class FatalError extends HsImportError {
  constructor(
    code: string,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
    this.name = 'FatalError';
  }
}

/** The run is stopping (SIGINT/SIGTERM): what `what` names was not done, and nothing more will start. */
export class StoppedError extends HsImportError {
  constructor(what: string) {
    super('STOPPED', `${what}: not done, the run is stopping`, { what });
    this.name = 'StoppedError';
  }
}
