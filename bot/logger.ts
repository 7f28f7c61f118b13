import { format } from 'node:util';
import { logContext } from './logContext';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Anything shaped like a JWT: a base64url JSON header, a dot and what follows, with or without the signature
 * part, so a token cut short (somewhere in its payload, by a length limit) is caught too.
 */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g;
/**
 * Keys whose values are secrets whatever they look like: names ending in token, secret, password, … in any
 * casing or prefix (`MicrosoftAppPassword`, `userToken`, `client_secret`, a certificate's `privateKey`), but not `tokenType` or
 * `localTokenUrl`.
 */
const SECRET_KEYS = /(?:token|secret|password|passwd|assertion|authorization|cookie|connection_?string|account_?key|private_?key)$/i;
const MAX_DEPTH = 8;

const redactText = (text: string): string => text.replace(JWT, '[redacted-jwt]');

/**
 * Text from outside (an error message a client sent) for a log field: redacted first, then cut to `max`
 * characters. Cutting first could leave a token's header and payload start that no longer look like a JWT.
 */
export const clippedForLog = (text: string, max: number): string => redactText(text).slice(0, max);

/** Replaces JWT-shaped substrings (in values and keys) and secret-named fields anywhere in a log record. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[truncated]';
  if (value instanceof Error) {
    const extra = value as Error & { code?: unknown; status?: unknown };
    return {
      type: value.name, message: redact(value.message, depth + 1), stack: redact(value.stack, depth + 1),
      ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
      ...(typeof extra.status === 'number' ? { status: extra.status } : {}),
      ...(value.cause ? { cause: redact(value.cause, depth + 1) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [
    redactText(key),
    SECRET_KEYS.test(key) && item !== undefined && item !== null && typeof item !== 'boolean' ? '[redacted]' : redact(item, depth + 1),
  ]));
}

/**
 * The bot's only console writer: pino JSON lines where every record, every interpolated argument and every
 * child binding passes through {@link redact}, so a token can never reach a log line, whatever a caller logs.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(1)): Logger {
  const logger = pino({
    level,
    base: { name: 'access-review-bot' },
    formatters: { log: (record) => redact(record) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        // Errors stay Errors so pino files them under `err` (whose serializer redacts them).
        method.apply(this, args.map((arg) => (arg instanceof Error ? arg : redact(arg))) as Parameters<typeof method>);
      },
    },
    serializers: { err: (error: unknown) => redact(error) },
    // The turn's or the scheduled run's correlation id (bot/logContext.ts) on every line of it.
    mixin: () => ({ ...logContext() }),
  }, destination);
  // Child bindings are written as given on every line of the child: redact them once, when it is made.
  const { child } = Object.getPrototypeOf(logger) as { child: Logger['child'] };
  logger.child = function redactedChild(this: Logger, bindings, options) {
    return child.call(this, redact(bindings) as typeof bindings, options);
  } as Logger['child'];
  return logger;
}

type ConsoleMethod = 'error' | 'warn' | 'info' | 'log' | 'debug';
const CONSOLE_LEVELS: Readonly<Record<ConsoleMethod, 'error' | 'warn' | 'info' | 'debug'>> = { error: 'error', warn: 'warn', info: 'info', log: 'info', debug: 'debug' };

/**
 * Routes the console of the libraries the bot runs (botframework-connector prints an expired channel token's whole
 * error, stack included, and a refused signature's key with console.error) into the logger: one structured line
 * each (`source: "console"`), an Error as its name and message only (no stack), the text redacted and clipped.
 * For the production entry (bot/index.ts); returns what puts the console back.
 */
export function bridgeConsole(log: Logger): () => void {
  // The bridge is the one place that touches the console: it replaces its methods.
  const target = console as unknown as Record<ConsoleMethod, (...args: unknown[]) => void>;
  const methods = Object.keys(CONSOLE_LEVELS) as ConsoleMethod[];
  const original = new Map(methods.map((method) => [method, target[method]]));
  for (const method of methods) {
    target[method] = (...args: unknown[]): void => {
      const text = format(...args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : arg)));
      log[CONSOLE_LEVELS[method]]({ source: 'console', text: clippedForLog(text, 300) }, 'library console output');
    };
  }
  return () => {
    for (const [method, write] of original) target[method] = write;
  };
}
