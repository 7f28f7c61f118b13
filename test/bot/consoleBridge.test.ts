import jwt from 'jsonwebtoken';
import { bridgeConsole } from '../../bot/logger';
import { captureLog, JWT_SHAPED } from './auth/logCapture';

/**
 * bridgeConsole (bot/logger.ts): what libraries print with console.* becomes one structured log line each, an Error
 * as its name and message (no stack), the text redacted and clipped; restoring puts the console back.
 */
test('console.error/warn/log of a library become log lines, without stacks or tokens', () => {
  const capture = captureLog();
  const before = [console.error, console.warn, console.log];
  const restore = bridgeConsole(capture.log);
  try {
    const expired = Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' });
    console.error(expired);
    console.warn('BadRequest: Missing activity or activity type.');
    console.log('token %s', jwt.sign({ sub: 'adele' }, 'test-signing-key'));
    console.error(`Error finding key for token. Available keys: ${'k'.repeat(1000)}`);
  } finally {
    restore();
  }
  const records = capture.records();
  expect(records.map((r) => [r.level, r.source, r.msg])).toEqual([
    [50, 'console', 'library console output'], [40, 'console', 'library console output'],
    [30, 'console', 'library console output'], [50, 'console', 'library console output'],
  ]);
  expect(records[0]?.text).toBe('TokenExpiredError: jwt expired');
  expect(capture.text()).not.toMatch(/\n\s+at |"stack"/);
  expect(capture.text()).not.toMatch(JWT_SHAPED);
  expect(String(records[3]?.text).length).toBe(300);
  // Restored: the console's own methods are back.
  expect([console.error, console.warn, console.log]).toEqual(before);
});
