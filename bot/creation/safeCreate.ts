import type { DefinitionBody } from '../../reviews/definition';
import type { Clock } from '../clock';
import { AppError, isAppError } from '../errors';
import type { AccessReviewsApi, ReviewDefinition } from '../graph/apis';
import type { Logger } from '../logger';

/** How many times a create is tried in all (the client's own retries of 429s come on top). */
const ATTEMPTS = 3;
/** Graph's createdDateTime and our clock may differ a little. */
const CLOCK_SKEW_MS = 2 * 60 * 1000;

export interface CreateOutcome {
  definition: ReviewDefinition;
  /** The answer to a create was lost but the review was found: it was made once, by us. */
  recovered: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The bot's clock, and the pause between attempts (tests pass their own: no real waiting). */
export interface CreateTiming extends Clock {
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Creates a definition exactly once. A create whose answer is lost (timeout, 5xx) may still have been made,
 * so before any new attempt the review is looked up: among the reviews of its scope, by its name, its creator, the time window of this call
 * and `requestTag`, a text unique to this request written into `descriptionForAdmins` (several reviews of the
 * same name may be created minutes apart). It is posted again only when it is not there. 429s never create
 * anything and the client already retried them; 4xx answers are final.
 */
export async function createOnce(reviews: AccessReviewsApi, body: DefinitionBody, requesterId: string, log: Logger,
  timing: CreateTiming): Promise<CreateOutcome> {
  const pause = timing.sleep ?? sleep;
  const since = timing.now() - CLOCK_SKEW_MS;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    if (attempt > 1) {
      const found = await findRecent(reviews, body, requesterId, since);
      if (found) {
        log.info({ definitionId: found.id, attempt }, 'create answer was lost; the review exists');
        return { definition: found, recovered: true };
      }
      await pause(250 * 2 ** (attempt - 2));
    }
    try {
      return { definition: await reviews.createDefinition(body), recovered: false };
    } catch (error) {
      if (!isAppError(error, 'GraphUnavailable') && !isAppError(error, 'Throttled')) throw error;
      log.warn({ code: error.code, status: error.status, attempt }, 'create failed; checking before retrying');
      lastError = error;
    }
  }
  const found = await findRecent(reviews, body, requesterId, since);
  if (found) return { definition: found, recovered: true };
  const seconds = isAppError(lastError) ? lastError.retryAfterSeconds ?? 30 : 30;
  throw new AppError('GraphUnavailable', `Microsoft Graph is busy: the review was not created (I checked). Try again in ${seconds} seconds.`,
    { cause: lastError, retryAfterSeconds: seconds });
}

/**
 * The requester's review of that name and scope created since `since`, if any (newest first). When even this look-up
 * fails nobody can tell whether the review exists, so nothing is posted again and the user is told so.
 */
async function findRecent(reviews: AccessReviewsApi, body: Pick<DefinitionBody, 'displayName' | 'descriptionForAdmins' | 'scope'>,
  requesterId: string, since: number): Promise<ReviewDefinition | undefined> {
  let candidates: ReviewDefinition[];
  try {
    // Narrowed by the scope with the filter Graph documents (contains on the scope's group), never by name.
    candidates = await reviews.findDefinitionsByName(body.displayName, body.scope);
  } catch (error) {
    throw new AppError('GraphUnavailable', 'Microsoft Graph is busy and I could not confirm whether the review was created. ' +
      'Type `reviews` in a minute to check before trying again.', { cause: error, retryAfterSeconds: 60 });
  }
  return candidates
    .filter((d) => d.createdBy?.id === requesterId && Date.parse(d.createdDateTime ?? '') >= since && d.descriptionForAdmins === body.descriptionForAdmins)
    .sort((a, b) => Date.parse(b.createdDateTime ?? '') - Date.parse(a.createdDateTime ?? ''))[0];
}
