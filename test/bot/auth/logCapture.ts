import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../bot/logger';

/** A logger writing JSON lines to memory (as test/bot/logger.test.ts captures them). */
export function captureLog(level = 'debug'): { log: Logger; text: () => string; records: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, sink), text: () => lines.join('\n'), records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Anything JWT-shaped (the logger's own pattern, looser: any base64url JSON header followed by a dot). */
export const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/;
