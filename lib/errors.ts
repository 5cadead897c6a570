// The one error type of pman. Every failure a user can see is a PmanError (or is wrapped into one
// at the CLI boundary); the exit code is decided by lib/cli.ts from `exitCode` alone.

export type ErrorCode =
  | 'not-found'
  | 'conflict'
  | 'invalid-argument'
  | 'invalid-state'
  | 'corrupt-state'
  | 'runtime'
  | 'system'
  | 'command-not-found'
  | 'command-not-executable';

export class PmanError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'PmanError';
    this.code = code;
    this.exitCode = options?.exitCode ?? 125;
  }
}

/** A named thing (container, image, volume, exec session) does not exist. */
export class NotFoundError extends PmanError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('not-found', message, options);
  }
}

/** A name or resource is already taken, or an operation conflicts with another. */
export class ConflictError extends PmanError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('conflict', message, options);
  }
}

/** A flag or argument value the user gave is not acceptable. */
export class InvalidArgumentError extends PmanError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-argument', message, options);
  }
}

/** The thing exists but is in the wrong state for the operation (e.g. removing a running container). */
export class InvalidStateError extends PmanError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-state', message, options);
  }
}

/** A state file failed validation. */
export class CorruptStateError extends PmanError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('corrupt-state', message, options);
  }
}

/** The OCI runtime failed. exitCode 126/127 when the container's command could not be run. */
export class RuntimeError extends PmanError {
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    const code: ErrorCode =
      options?.exitCode === 127 ? 'command-not-found' : options?.exitCode === 126 ? 'command-not-executable' : 'runtime';
    super(code, message, options);
  }
}

/** Wraps an unexpected system error (errno) with what pman was doing. */
export function systemError(action: string, err: unknown): PmanError {
  const e = err as NodeJS.ErrnoException;
  const reason = e?.code === 'ENOSPC' ? 'no space left on device' : e?.code === 'EACCES' || e?.code === 'EPERM' ? 'permission denied' : e?.message ?? String(err);
  return new PmanError('system', `cannot ${action}: ${reason}`, { cause: err });
}

/**
 * The exit code an error ends a command (or a shim's report) with: a PmanError's own, the code an
 * error from elsewhere carries (a runtime or exec failure relayed as a plain object), else 125,
 * podman's code for its own failures. Every place that turns an error into a code asks this.
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof PmanError) return err.exitCode;
  const code = (err as { exitCode?: unknown } | null | undefined)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) ? code : 125;
}

/** A lookup that throws NotFoundError for what is not there, as a yes or no (any other error stays an error). */
export function found<A extends unknown[]>(lookup: (...args: A) => unknown): (...args: A) => boolean {
  return (...args) => {
    try {
      lookup(...args);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  };
}
