import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import { ChannelAdapter } from '../adapter';
import { clippedForLog, type Logger } from '../logger';

/** What CloudAdapter answered: a status and, for invokes, a body. */
export interface AdapterAnswer { status: number; body: unknown }

/**
 * Stands in for the HTTP response while CloudAdapter.process runs (it only calls status, send and end; its
 * ResponseT check wants `header` too): the answer is held, so the caller can look at it before anything is sent.
 */
class HeldResponse {
  readonly socket = undefined;
  statusCode = 200;
  body: unknown = undefined;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(): this {
    return this;
  }

  send(body?: unknown): this {
    if (body !== undefined) this.body = body;
    return this;
  }

  end(): this {
    return this;
  }
}

const plain = (status: number): AdapterAnswer => ({ status, body: { error: STATUS_CODES[status] ?? 'Error' } });
const reasonOf = (body: unknown): string => (body instanceof Error ? body.message : typeof body === 'string' ? body : 'no reason given');

/** jsonwebtoken's errors, which botframework-connector 4.23.3 rethrows as they are for a token with a known key id but a bad signature. */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * The status of a refused channel token: botbuilder's AuthenticationError (botframework-connector, not re-exported by
 * botbuilder) carries 401/403; a bad signature arrives as jsonwebtoken's own error, which CloudAdapter.process answers
 * with 500 although the caller, not the bot, is at fault: 401 here.
 */
const authFailureStatus = (error: unknown): number | undefined => {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (status === 401 || status === 403) return status;
  return JWT_ERRORS.has(error.name) ? 401 : undefined;
};

/** The request's Authorization header, or '' (CloudAdapter reads it the same way). */
const authorizationOf = (headers: IncomingHttpHeaders): string => {
  const value = headers.authorization ?? (headers as Record<string, unknown>).Authorization;
  return typeof value === 'string' ? value : '';
};

/**
 * What CloudAdapter.process does to the body before the turn (botbuilder's validateAndFixActivity, not exported):
 * date strings become Dates, the text kept beside them.
 */
function fixedActivity(body: Record<string, unknown>): Activity {
  const activity: Record<string, unknown> = { ...body };
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

/**
 * Runs an activity through the adapter and returns what to answer. A refused channel token (missing, malformed,
 * wrong issuer, audience, signature or serviceUrl) is answered `401 {"error":"Unauthorized"}`: telling a caller why
 * its token failed helps only the caller forging it. The reason goes to the log as ONE warning line
 * `{"level":40,"status":401,"reason":…,"activityType":…,"channelId":…,"msg":"activity refused"}`: no stack, no
 * token (the reason is redacted, then clipped). Other failures of the adapter answer a plain 500 (logged as errors);
 * invoke responses of the bot pass unchanged.
 */
export async function answerActivity(
  adapter: CloudAdapter, activity: Record<string, unknown>, headers: IncomingHttpHeaders,
  logic: (turn: TurnContext) => Promise<void>, log: Logger,
): Promise<AdapterAnswer> {
  if (!(adapter instanceof ChannelAdapter)) return answerThroughProcess(adapter, activity, headers, logic, log);
  const authorization = authorizationOf(headers);
  try {
    const invoke = await adapter.processInbound(authorization, fixedActivity(activity), logic);
    return { status: invoke?.status ?? 200, body: invoke?.body };
  } catch (error) {
    const status = authFailureStatus(error);
    if (status === undefined) {
      log.error({ err: error, activityType: activity.type, channelId: activity.channelId }, 'activity not processed');
      return plain(500);
    }
    const reason = authorization === '' ? 'no Authorization header' : clippedForLog((error as Error).message, 200);
    log.warn({ status, reason, activityType: activity.type, channelId: activity.channelId }, 'activity refused');
    return plain(status);
  }
}

/**
 * For an adapter that is not a {@link ChannelAdapter} (a test's stand-in): CloudAdapter.process against a held
 * response; any 4xx/5xx it produced itself gets a fixed body and the reason goes to the log.
 */
async function answerThroughProcess(
  adapter: CloudAdapter, activity: Record<string, unknown>, headers: IncomingHttpHeaders,
  logic: (turn: TurnContext) => Promise<void>, log: Logger,
): Promise<AdapterAnswer> {
  const held = new HeldResponse();
  let turnRan = false;
  try {
    await adapter.process({ method: 'POST', headers, body: activity }, held, (turn) => {
      turnRan = true;
      return logic(turn);
    });
  } catch (error) {
    log.error({ err: error, activityType: activity.type }, 'activity not processed');
    return plain(500);
  }
  const { statusCode: status, body } = held;
  const errorText = body !== undefined && (typeof body !== 'object' || body === null || body instanceof Error);
  const fromAdapter = !turnRan || errorText;
  if (status < 400 || !fromAdapter) return { status, body };
  log.warn({ status, reason: clippedForLog(reasonOf(body), 200), activityType: activity.type, channelId: activity.channelId }, 'activity refused');
  return plain(status);
}
