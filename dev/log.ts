import pino, { type Logger } from 'pino';

/** The local tenant's logger (JSON lines on stderr, so stdout stays for the launcher's own output). */
export function devLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: ['*.token', '*.access_token', '*.assertion', '*.client_secret', 'req.headers.authorization'], censor: '[redacted]' } }, pino.destination(2));
}
