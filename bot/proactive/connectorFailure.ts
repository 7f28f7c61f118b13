import { AppError, type ErrorCode } from '../errors';
import { NotSentError } from './botConnector';

/**
 * What a failed call to the Bot Connector means for a proactive post, read from the error botbuilder throws.
 *
 * Facts (botbuilder / botframework-connector 4.23.3, @azure/core-rest-pipeline 1.24, checked against a local
 * HTTP server): a failed call rejects with a `RestError` whose `statusCode` is the HTTP status, `code` the
 * connector body's `error.code` (e.g. 'ConversationNotFound'), or the system error code (`ECONNRESET`) with no
 * status, and `response.headers.get('retry-after')`. Its default pipeline policy `defaultRetryPolicy` retries
 * by itself, 3 times, *every* method, POST included: 429 and 503 only when they carry Retry-After (honoured);
 * 408 and 5xx but 501/505 with exponential backoff (~5 s in all); and ETIMEDOUT, ESOCKETTIMEDOUT, ECONNREFUSED,
 * ECONNRESET, ENOENT, ENOTFOUND. 412 is never retried; 429 without Retry-After neither. Resending a POST after a
 * reset could post twice, and those resends bypass any rate limiter: the sender removes that policy from the
 * connector client of its own turns and does all retries itself (sender.ts).
 */
export type Failure =
  /** Teams refused or did not process the request: safe to send again after `retryAfterMs` (from Retry-After). */
  | { kind: 'retry'; status: number | undefined; retryAfterMs: number | undefined }
  /** The bot can no longer post here (removed from the team or chat, channel deleted). */
  | { kind: 'gone'; status: number; code: string | undefined }
  /** The message to update no longer exists (deleted): the conversation itself is fine. */
  | { kind: 'messageGone'; status: number }
  /** The request may have reached Teams (timeout or reset after sending, 502/504 on a POST): not sent again. */
  | { kind: 'unconfirmed'; status: number | undefined; code: string | undefined }
  /** Anything else (400, 401, 413, …): sending again would fail the same way. */
  | { kind: 'fatal'; status: number | undefined; code: string | undefined };

interface RestErrorLike {
  statusCode?: unknown;
  code?: unknown;
  response?: { headers?: { get?(name: string): string | undefined } };
}

/** The request never left this machine: nothing can have been posted. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT']);
/** Statuses Teams asks bots to retry (reference section 4): throttled, precondition, gateway errors. */
const THROTTLED = new Set([429, 412]);
const GATEWAY = new Set([502, 504]);

/** Milliseconds from a Retry-After value (seconds, or an HTTP date), or undefined. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Classifies a connector failure of a POST (`idempotent: false`) or a PUT (`idempotent: true`). */
export function classifyFailure(error: unknown, idempotent: boolean, now: number): Failure {
  if (error instanceof NotSentError) return { kind: 'retry', status: undefined, retryAfterMs: undefined };
  const rest = (typeof error === 'object' && error !== null ? error : {}) as RestErrorLike;
  const status = typeof rest.statusCode === 'number' ? rest.statusCode : undefined;
  const code = typeof rest.code === 'string' ? rest.code : undefined;
  if (status === undefined) {
    if (code !== undefined && NOT_SENT.has(code)) return { kind: 'retry', status, retryAfterMs: undefined };
    return idempotent ? { kind: 'retry', status, retryAfterMs: undefined } : { kind: 'unconfirmed', status, code };
  }
  if (THROTTLED.has(status)) return { kind: 'retry', status, retryAfterMs: retryAfterMs(rest.response?.headers?.get?.('retry-after'), now) };
  if (GATEWAY.has(status)) return idempotent ? { kind: 'retry', status, retryAfterMs: undefined } : { kind: 'unconfirmed', status, code };
  if (status === 403) return { kind: 'gone', status, code };
  if (status === 404) {
    // An update's 404 names the message unless the connector says the conversation is gone.
    return idempotent && code !== 'ConversationNotFound' ? { kind: 'messageGone', status } : { kind: 'gone', status, code };
  }
  return { kind: 'fatal', status, code };
}

/** Why a proactive post or update failed, for the caller (a scheduler) to branch on. */
export type ProactiveFailureReason =
  /** No stored reference (never installed, or uninstalled). */
  | 'unknownConversation'
  /** The conversation is suspended (a 403/404 earlier, now or before): nothing was sent. */
  | 'suspended'
  | 'messageGone'
  /** May or may not have been posted: not retried, so as never to post twice. */
  | 'unconfirmed'
  | 'retriesExhausted'
  | 'rejected';

const CODES: Record<ProactiveFailureReason, ErrorCode> = {
  unknownConversation: 'NotFound', suspended: 'Forbidden', messageGone: 'NotFound', unconfirmed: 'Internal',
  retriesExhausted: 'Throttled', rejected: 'BadRequest',
};

/** The typed error of a failed proactive post (an AppError, so the one last-resort handler knows it). */
export class ProactiveSendError extends AppError {
  constructor(readonly reason: ProactiveFailureReason, readonly conversationId: string, options: { cause?: unknown; status?: number } = {}) {
    super(CODES[reason], `The bot could not post to conversation ${conversationId} (${reason}).`, options);
    this.name = 'ProactiveSendError';
  }
}

export const isProactiveSendError = (error: unknown, reason?: ProactiveFailureReason): error is ProactiveSendError =>
  error instanceof ProactiveSendError && (reason === undefined || error.reason === reason);
