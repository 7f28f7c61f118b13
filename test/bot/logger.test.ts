import { Writable } from 'node:stream';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { clippedForLog, createLogger, type Logger } from '../../bot/logger';
import { AppError } from '../../bot/errors';

/** logger.ts: tokens are radioactive, so nothing JWT-shaped and no secret-named field may reach a log line. */

type LogRecord = Record<string, unknown>;

/** A logger at 'info' writing to an in-memory Writable; `records()` parses every line written so far. */
function capture(): { log: Logger; text: () => string; records: () => LogRecord[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('info', sink);
  return { log, text: () => lines.join('\n'), records: () => lines.map((line) => JSON.parse(line) as LogRecord) };
}

const TOKEN = jwt.sign({ oid: 'user-oid-5150', scp: 'AccessReview.ReadWrite.All' }, 'test-signing-key', { expiresIn: '1h' });
const [, PAYLOAD, SIGNATURE] = TOKEN.split('.');

/** No part of the token that identifies it (payload, signature) is in the text. */
function expectNoToken(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(PAYLOAD);
  expect(text).not.toContain(SIGNATURE);
}

describe('JWT-shaped strings are replaced wherever they are', () => {
  test('in the message string', () => {
    const { log, text, records } = capture();
    log.info(`exchanged ${TOKEN} for Graph`);
    log.info('token %s arrived', TOKEN);
    expectNoToken(text());
    expect(records().map((r) => r.msg)).toEqual(['exchanged [redacted-jwt] for Graph', 'token [redacted-jwt] arrived']);
  });

  test('in a nested object field and inside an array', () => {
    const { log, text, records } = capture();
    log.info({ request: { headers: { 'x-note': `Bearer ${TOKEN}` } }, list: ['a', TOKEN, { inner: [TOKEN] }] }, 'sent');
    expectNoToken(text());
    expect(records()[0]).toMatchObject({
      request: { headers: { 'x-note': 'Bearer [redacted-jwt]' } }, list: ['a', '[redacted-jwt]', { inner: ['[redacted-jwt]'] }],
    });
  });

  test('in an Error message and stack, logged as err or under another key', () => {
    const { log, text, records } = capture();
    const error = new Error(`token rejected: ${TOKEN}`);
    log.error(error, 'first');
    log.error({ err: error }, 'second');
    log.error({ failure: error }, 'third');
    expectNoToken(text());
    const [first, second, third] = records();
    for (const serialised of [first?.err, second?.err, third?.failure]) {
      expect(serialised).toMatchObject({ type: 'Error', message: 'token rejected: [redacted-jwt]' });
      expect(String((serialised as LogRecord).stack)).toContain('token rejected: [redacted-jwt]');
    }
  });

  test('in err.cause (an Error or a string), through an AppError', () => {
    const { log, text, records } = capture();
    const inner = new Error(`AADSTS50013 assertion ${TOKEN}`);
    log.error(new AppError('InvalidSsoToken', 'Sign in again', { cause: new Error('exchange failed', { cause: inner }) }), 'a');
    log.error({ err: new Error('outer', { cause: `raw ${TOKEN}` }) }, 'b');
    expectNoToken(text());
    const [a, b] = records();
    expect(a?.err).toMatchObject({ type: 'AppError', cause: { message: 'exchange failed', cause: { message: `AADSTS50013 assertion [redacted-jwt]` } } });
    expect(b?.err).toMatchObject({ cause: 'raw [redacted-jwt]' });
  });

  test('in an object formatted into the message (%j, %o)', () => {
    const { log, text } = capture();
    log.info('reply %j', { accessToken: TOKEN });
    log.info('reply %o', { nested: TOKEN });
    expectNoToken(text());
  });

  test('in a child logger binding', () => {
    const { log, text } = capture();
    log.child({ bearer: TOKEN }).info('child line');
    expectNoToken(text());
  });

  test('deeper than the redactor walks (12 levels)', () => {
    const { log, text } = capture();
    let nested: LogRecord = { value: TOKEN };
    for (let level = 0; level < 12; level += 1) nested = { level: nested };
    log.info({ nested }, 'deep');
    expectNoToken(text());
  });

  test('cut short inside its payload (no signature part), whatever was cut', () => {
    const { log, text, records } = capture();
    const [header = '', payload = ''] = TOKEN.split('.');
    for (const keep of [1, 5, 20, payload.length]) log.info({ message: `failed: ${header}.${payload.slice(0, keep)}` }, 'cut');
    log.info({ message: `failed: ${header}.` }, 'cut at the dot');
    expect(text()).not.toContain(header);
    expect(text()).not.toContain(PAYLOAD?.slice(0, 5));
    expect(records().map((r) => r.message)).toEqual(Array(5).fill('failed: [redacted-jwt]'));
  });

  test('clippedForLog redacts before it cuts: a token straddling the limit leaves nothing of itself', () => {
    fc.assert(fc.property(fc.nat({ max: 400 }), fc.integer({ min: 1, max: 400 }), (before, max) => {
      const clipped = clippedForLog(`${'x '.repeat(before)}${TOKEN} tail`, max);
      expect(clipped.length).toBeLessThanOrEqual(max);
      expect(clipped).not.toContain(TOKEN.split('.')[0]?.slice(0, 12));
    }));
  });

  test('used as an object key', () => {
    const { log, text } = capture();
    log.info({ seen: { [TOKEN]: true } }, 'dedupe');
    expectNoToken(text());
  });
});

describe('secret-named fields', () => {
  const SECRET_NAMES = [
    'token', 'accessToken', 'access_token', 'ssoToken', 'idToken', 'refresh_token', 'bearerToken', 'clientSecret',
    'client_secret', 'secret', 'password', 'appPassword', 'authorization', 'Authorization', 'assertion', 'cookie',
    'connectionString', 'connection_string', 'accountKey', 'AAD_CLIENT_SECRET', 'STORAGE_CONNECTION_STRING',
    'graph_access_token', 'x-ms-token',
  ];

  test.each(SECRET_NAMES)('%s is redacted whatever its value', (key) => {
    const { log, text, records } = capture();
    for (const value of ['opaque-value-31337', '', { nested: 'opaque-value-31337' }, ['opaque-value-31337']]) {
      log.info({ [key]: value }, 'secret');
    }
    expect(text()).not.toContain('31337');
    for (const record of records()) expect(record[key]).toBe('[redacted]');
  });

  test('a numeric secret is redacted too (a PIN, a numeric password)', () => {
    const { log, text } = capture();
    log.info({ password: 31337, clientSecret: 31337 }, 'numeric');
    expect(text()).not.toContain('31337');
  });

  test('an absent secret may still be logged as such (null, boolean)', () => {
    const { log, records } = capture();
    log.info({ token: null, password: false }, 'none');
    expect(records()[0]).toMatchObject({ token: null, password: false });
  });

  // The key pattern allows a prefix only before '_' or '-', so camelCase prefixes slip through; these names are
  // secrets all the same (MicrosoftAppPassword is the bot's own .env key).
  test('camelCase-prefixed secret names are redacted', () => {
    const { log, records } = capture();
    const keys = ['MicrosoftAppPassword', 'userToken', 'graphAccessToken', 'oboClientSecret'];
    log.info(Object.fromEntries(keys.map((key) => [key, 'opaque-value'])), 'secret');
    expect(keys.filter((key) => records()[0]?.[key] !== '[redacted]')).toEqual([]);
  });

  // Names that merely contain a secret word are kept: they hold URLs, ids, counts and policies, not secrets.
  test.each<[string, unknown]>([
    ['localTokenUrl', 'http://127.0.0.1:3981/dev/sso-token'],
    ['tokenExchangeResource', { id: 'exchange-id-1', uri: 'api://botid-x' }],
    ['passwordPolicy', 'DisablePasswordExpiration'],
    ['tokenType', 'Bearer'],
    ['tokens', 2],
    ['secretName', 'bot-secret'],
    ['authorizationUrl', 'https://login.example.test/authorize'],
    ['tokenizer', 'words'],
  ])('%s is kept as logged', (key, value) => {
    const { log, records } = capture();
    log.info({ [key]: value }, 'not secret');
    expect(records()[0]?.[key]).toEqual(value);
  });
});

test('normal fields pass through unchanged', () => {
  const { log, records } = capture();
  const fields = {
    userId: '33333333-3333-4333-8333-333333333333', count: 3, ratio: 0.5, ok: true, nothing: null,
    nested: { list: [1, 'two', { three: 3 }], url: 'https://graph.microsoft.com/v1.0/me?$select=id' },
    almostJwt: 'eyJ.short.one', dotted: 'a.b.c',
  };
  log.info(fields, 'plain %s', 'text');
  expect(records()[0]).toMatchObject({ ...fields, msg: 'plain text', level: 30, name: 'access-review-bot' });
});

describe('property: a JWT inserted anywhere never reaches the output', () => {
  type Container = unknown[] | Record<string, unknown>;

  /** Every container of the value (the value itself included), depth first. */
  function containers(value: unknown, found: Container[] = []): Container[] {
    if (value === null || typeof value !== 'object') return found;
    found.push(value as Container);
    for (const item of Object.values(value)) containers(item, found);
    return found;
  }

  test('random objects, random strings, random place', () => {
    fc.assert(fc.property(
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 5 }), fc.nat(), fc.string(), fc.string(), fc.constantFrom('field', 'message', 'error'),
      (base, pick, before, after, where) => {
        const record: Record<string, unknown> = structuredClone(base);
        const planted = `${before}${TOKEN}${after}`;
        const { log, text } = capture();
        if (where === 'message') {
          log.info(record, planted);
        } else if (where === 'error') {
          log.error({ ...record, err: new Error(planted) }, 'failed');
        } else {
          const places = containers(record);
          const target = places[pick % places.length] ?? record;
          if (Array.isArray(target)) target.splice(pick % (target.length + 1), 0, planted);
          else target[`k${pick}`] = planted;
          log.info(record, 'random');
        }
        expectNoToken(text());
      },
    ), { numRuns: 500 });
  });
});
