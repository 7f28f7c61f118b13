import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';

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

/**
 * Runs an activity through the adapter and returns what to answer. CloudAdapter writes its own failures'
 * messages into the body (`Unauthorized. Invalid AppId passed on token: …`, `Signing Key could not be retrieved.`):
 * telling a caller why its token failed helps only the caller forging it. So any 4xx/5xx the adapter produced
 * itself (no turn ran, or its body is an error text rather than an invoke response object) gets a fixed body, and
 * the reason goes to the log (which redacts anything token-shaped). Invoke responses of the bot pass unchanged.
 */
export async function answerActivity(
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
  log.warn({ status, reason: reasonOf(body), activityType: activity.type, channelId: activity.channelId }, 'activity refused');
  return plain(status);
}
