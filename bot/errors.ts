/** What went wrong, as the code branches on it (never on message text). */
export type ErrorCode =
  | 'ConfigInvalid'
  | 'SignInRequired'
  | 'ConsentRequired'
  | 'InvalidSsoToken'
  | 'Forbidden'
  | 'NotFound'
  | 'BadRequest'
  | 'Conflict'
  | 'Throttled'
  | 'GraphUnavailable'
  | 'StorageConflict'
  | 'InvalidInput'
  /** A file could not be delivered (Teams' upload session refused it). */
  | 'UploadFailed'
  | 'Internal';

/**
 * The one error type of the bot: a code to branch on, a message fit for the user (product spec, "Errors users
 * see"), and the cause for the logs only.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: string,
    options: { cause?: unknown; retryAfterSeconds?: number; status?: number } = {},
  ) {
    super(`${code}: ${userMessage}`, { cause: options.cause });
    this.name = 'AppError';
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.status = options.status;
  }

  readonly retryAfterSeconds: number | undefined;
  /** The HTTP status behind the error, when it came from Graph or the identity provider. */
  readonly status: number | undefined;
}

export const isAppError = (error: unknown, code?: ErrorCode): error is AppError =>
  error instanceof AppError && (code === undefined || error.code === code);

/**
 * The AppError behind `error`: botbuilder-dialogs wraps what a child dialog throws in a DialogContextError
 * (its `error` field holds the original), so a parent dialog sees the wrapper.
 */
export function appErrorIn(error: unknown): AppError | undefined {
  let current = error;
  for (let depth = 0; depth < 8 && !isAppError(current); depth++) {
    const inner = (current as { name?: unknown; error?: unknown } | null)?.name === 'DialogContextError' ? (current as { error: unknown }).error : undefined;
    if (inner === undefined) return undefined;
    current = inner;
  }
  return isAppError(current) ? current : undefined;
}
