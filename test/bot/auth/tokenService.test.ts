import { TokenServiceTokens } from '../../../bot/auth/tokenService';
import { isAppError } from '../../../bot/errors';

/**
 * SSO_MODE=connection's TokenProvider (bot/auth/tokenService.ts): the tokens the token service handed over, held in
 * memory per user until 5 minutes before they expire, on a fixed clock. The token service itself, the sign-in
 * cards and the exchanges are exercised end to end in test/e2e/ssoConnection.test.ts.
 */
const T0 = Date.parse('2026-12-05T10:00:00Z');
let now = T0;
const clock = { now: (): number => now };
const app = { appToken: (): Promise<string> => Promise.resolve('app-token') };
const refused = (promise: Promise<unknown>): Promise<boolean> => promise.then(() => false, (error: unknown) => isAppError(error, 'SignInRequired'));
const jwtWithExp = (exp: number): string => `h.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.s`;

beforeEach(() => {
  now = T0;
});

test('a user with no token is asked to sign in; a remembered token is used until 5 minutes before its expiry', async () => {
  const tokens = new TokenServiceTokens(app, clock);
  expect(await refused(tokens.userToken('adele'))).toBe(true);
  tokens.remember('adele', { token: 'graph-token', expiration: new Date(T0 + 60 * 60_000).toISOString() });
  expect(await tokens.userToken('adele')).toBe('graph-token');
  now = T0 + 54 * 60_000;
  expect(await tokens.userToken('adele')).toBe('graph-token');
  now = T0 + 55 * 60_000;
  expect(await refused(tokens.userToken('adele'))).toBe(true);
});

test('without an expiration from the service, the token\'s own exp claim decides; without either, 30 minutes', async () => {
  const tokens = new TokenServiceTokens(app, clock);
  tokens.remember('megan', { token: jwtWithExp((T0 + 20 * 60_000) / 1000) });
  tokens.remember('lee', { token: 'opaque' });
  now = T0 + 14 * 60_000;
  expect(await tokens.userToken('megan')).toBeDefined();
  now = T0 + 15 * 60_000;
  expect(await refused(tokens.userToken('megan'))).toBe(true);
  now = T0 + 24 * 60_000;
  expect(await tokens.userToken('lee')).toBe('opaque');
  now = T0 + 25 * 60_000;
  expect(await refused(tokens.userToken('lee'))).toBe(true);
});

test('each user has their own token; sign-out forgets only that user\'s; the app token still comes from msal', async () => {
  const tokens = new TokenServiceTokens(app, clock);
  tokens.remember('adele', { token: 'adele-token' });
  tokens.remember('megan', { token: 'megan-token' });
  await tokens.signOut('adele');
  expect(await refused(tokens.userToken('adele'))).toBe(true);
  expect(await tokens.userToken('megan')).toBe('megan-token');
  expect(await tokens.appToken()).toBe('app-token');
  await expect(tokens.exchange()).rejects.toThrow('token service');
});

test('at most 10,000 users are held: the oldest goes first', async () => {
  const tokens = new TokenServiceTokens(app, clock);
  for (let i = 0; i <= 10_000; i += 1) tokens.remember(`user-${i}`, { token: `token-${i}` });
  expect(await refused(tokens.userToken('user-0'))).toBe(true);
  expect(await tokens.userToken('user-1')).toBe('token-1');
  expect(await tokens.userToken('user-10000')).toBe('token-10000');
});
