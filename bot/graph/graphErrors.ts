import { GraphError } from '@microsoft/microsoft-graph-client';
import { AppError } from '../errors';
// Graph's own reason may quote what the user typed: shown as code, clipped, like every echo.
import { quoted } from '../userText';

/** What the user was trying to do, so a refusal can name the role it needs (product spec, "Errors users see"). */
export type GraphOperation = 'read' | 'write' | 'decide' | 'directory';

const ROLE_NEEDED: Record<GraphOperation, string> = {
  read: 'Reading access reviews needs the Identity Governance Administrator, User Administrator, Global Reader, Security Reader or Security Administrator role, or being the creator of the review.',
  write: 'Creating or changing access reviews needs the Identity Governance Administrator or User Administrator role.',
  decide: 'Only the reviewers of an access review can record its decisions.',
  directory: 'Your account cannot read this part of the directory.',
};

function retryAfterSeconds(error: GraphError): number | undefined {
  const header = error.headers?.get('retry-after');
  const seconds = header === null || header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * Maps a Graph failure to the AppError the user sees: 401 → sign in again, 403 → the role needed,
 * 404 → gone, 400 → what Graph rejected, 409 → conflict, 429/5xx (after retries) → busy, try again later.
 */
export function toAppError(error: unknown, operation: GraphOperation, what: string): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof GraphError)) {
    return new AppError('GraphUnavailable', `I could not reach Microsoft Graph to ${what}. Nothing was changed; please try again.`, { cause: error });
  }
  const status = error.statusCode;
  switch (true) {
    case status === 401:
      return new AppError('SignInRequired', 'Your sign-in has expired. Please sign in again.', { cause: error, status });
    case status === 403:
      return new AppError('Forbidden', `Microsoft Graph refused to ${what}. ${ROLE_NEEDED[operation]}`, { cause: error, status });
    case status === 404:
      return new AppError('NotFound', `That no longer exists (Microsoft Graph could not find it while trying to ${what}). Nothing else changed.`, { cause: error, status });
    case status === 409:
      return new AppError('Conflict', `Microsoft Graph refused to ${what} because it conflicts with the review's current state: ${quoted(error.message, 200)}`, { cause: error, status });
    case status === 400:
      return new AppError('BadRequest', `Microsoft Graph rejected the request to ${what}: ${quoted(error.message, 200)}`, { cause: error, status });
    case status === 429 || status >= 500: {
      const seconds = Math.max(1, retryAfterSeconds(error) ?? 30);
      return new AppError(status === 429 ? 'Throttled' : 'GraphUnavailable',
        `Microsoft Graph is busy, so I could not ${what}. Try again in ${seconds} seconds.`, { cause: error, status, retryAfterSeconds: seconds });
    }
    default:
      return new AppError('GraphUnavailable', `Microsoft Graph answered ${status} when I tried to ${what}.`, { cause: error, status });
  }
}
