import pino, { type Logger } from 'pino';

export type { Logger };

/** Anything shaped like a JWT (three base64url parts, the first a JSON header). */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** Keys whose values are secrets whatever they look like. */
const SECRET_KEYS = /^(?:.*[_-])?(?:(?:access|id|refresh|sso|bearer)?_?token|(?:client_?)?secret|(?:app)?password|assertion|authorization|cookie|connection_?string|account_?key)$/i;

/** Replaces JWT-shaped substrings and secret-named fields anywhere in a log record. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(JWT, '[redacted-jwt]');
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: redact(value.message, depth + 1), stack: redact(value.stack, depth + 1), ...(value.cause ? { cause: redact(value.cause, depth + 1) } : {}) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) =>
    [key, SECRET_KEYS.test(key) && (typeof item === 'string' || typeof item === 'object') && item !== null ? '[redacted]' : redact(item, depth + 1)]));
}

/**
 * The bot's only console writer: pino JSON lines, with every record passed through {@link redact} so a token
 * can never reach a log line, whatever a caller logs.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(1)): Logger {
  return pino({
    level,
    base: { name: 'access-review-bot' },
    formatters: { log: (record) => redact(record) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? arg.replace(JWT, '[redacted-jwt]') : arg)) as Parameters<typeof method>);
      },
    },
    serializers: { err: (error: unknown) => redact(error) },
  }, destination);
}
