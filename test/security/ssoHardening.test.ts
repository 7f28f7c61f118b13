import jwt from 'jsonwebtoken';
import { SsoService } from '../../bot/auth/ssoService';
import type { SignedInUser, TokenProvider } from '../../bot/auth/tokenProvider';
import type { AppConfig } from '../../bot/config';
import { AppError } from '../../bot/errors';
import { createLogger } from '../../bot/logger';
import type { KeyValueStore } from '../../bot/storage/keyValueStore';
import { BOT_APP_ID, TENANT_ID, USER } from '../../dev/tenant/tenant';
import { useLocalStack } from '../support/localStack';
import { ssoToken } from '../support/localTenant';
import { oauthCardOf, personalChatId, SALES_TEAM, USERS, type Scope, type TeamsUser } from '../support/teamsClient';

/**
 * Issue 7, items 9a and 9c: a `signin/failure` message is redacted before it is cut (a cut JWT is still a
 * token), and another user's SSO token presented by the sender is refused before any exchange, so it cannot
 * put that user's Graph token back into the cache after they signed out.
 */

const ssoTokenFor = (oid: string | undefined): string =>
  jwt.sign({ aud: `api://botid-${BOT_APP_ID}`, tid: TENANT_ID, ...(oid === undefined ? {} : { oid }), scp: 'access_as_user' }, 'test-key', { expiresIn: 600 });

/** A TokenProvider that records calls; `exchange` answers the user the test says the token belongs to. */
function fakeTokens(exchangedUser: (token: string) => string): TokenProvider & { exchanged: string[]; signedOut: string[] } {
  const exchanged: string[] = [];
  const signedOut: string[] = [];
  return {
    exchanged, signedOut,
    exchange: (token: string): Promise<SignedInUser> => {
      exchanged.push(token);
      return Promise.resolve({ userId: exchangedUser(token), tenantId: TENANT_ID });
    },
    userToken: () => Promise.reject(new AppError('SignInRequired', 'Please sign in.')),
    appToken: () => Promise.resolve('app'),
    signOut: (userId: string): Promise<void> => {
      signedOut.push(userId);
      return Promise.resolve();
    },
  };
}

function service(tokens: TokenProvider): { sso: SsoService; created: string[] } {
  const created: string[] = [];
  const store = {
    createIfAbsent: (key: string): Promise<boolean> => {
      created.push(key);
      return Promise.resolve(true);
    },
  } as unknown as KeyValueStore;
  const config = { sso: { mode: 'teams', appIdUri: `api://botid-${BOT_APP_ID}`, connectionName: 'sso', localTokenUrl: 'http://127.0.0.1:1/none' } } as unknown as AppConfig;
  return { sso: new SsoService(config, tokens, store, createLogger('silent')), created };
}

const oidOf = (token: string): string => String((jwt.decode(token) as jwt.JwtPayload).oid);

describe('SsoService (unit, fake TokenProvider)', () => {
  test("another user's token is refused at once: nothing exchanged, nothing cached, nothing signed out", async () => {
    const tokens = fakeTokens(oidOf);
    const { sso, created } = service(tokens);
    expect(await sso.exchange(ssoTokenFor(USER.megan), USER.adele)).toEqual({ kind: 'failed', code: 'UserMismatch' });
    const invoke = await sso.tokenExchange({ id: 'x1', token: ssoTokenFor(USER.megan) }, 'conv', USER.adele);
    expect(invoke.response.status).toBe(412);
    expect(tokens.exchanged).toEqual([]);
    expect(tokens.signedOut).toEqual([]);
    expect(created).toEqual([]);
  });

  test('a token without a readable oid is refused as invalid without an exchange', async () => {
    const tokens = fakeTokens(() => USER.adele);
    const { sso } = service(tokens);
    for (const token of [ssoTokenFor(undefined), 'not-a-jwt', 'a.b.c', `x.${Buffer.from('[1]').toString('base64url')}.y`]) {
      expect(await sso.exchange(token, USER.adele)).toEqual({ kind: 'failed', code: 'InvalidSsoToken' });
    }
    expect(tokens.exchanged).toEqual([]);
  });

  test("the sender's own token is exchanged", async () => {
    const tokens = fakeTokens(oidOf);
    const { sso } = service(tokens);
    expect(await sso.exchange(ssoTokenFor(USER.adele), USER.adele)).toEqual({ kind: 'signedIn', userId: USER.adele });
    expect(tokens.exchanged).toHaveLength(1);
    expect(tokens.signedOut).toEqual([]);
  });

  test('if the exchanged account is still someone else, the account the exchange cached is removed', async () => {
    const tokens = fakeTokens(() => USER.megan);
    const { sso } = service(tokens);
    expect(await sso.exchange(ssoTokenFor(USER.adele), USER.adele)).toEqual({ kind: 'failed', code: 'UserMismatch' });
    expect(tokens.exchanged).toHaveLength(1);
    expect(tokens.signedOut).toEqual([USER.megan]);
  });
});

describe('e2e (SSO_MODE=teams)', () => {
  const stack = useLocalStack();

  test('signin/failure: a token cut inside its payload reaches no log line', async () => {
    const token = await ssoToken(stack.tenant, USER.adele);
    const [header = '', payload = ''] = token.split('.');
    // The bot keeps 200 characters: put the token so that the cut falls 30 characters into its payload.
    const prefix = `Sign-in failed for the Teams client: ${'detail '.repeat(40)}`.slice(0, 200 - header.length - 1 - 30);
    const message = `${prefix}${token}`;
    expect(prefix.length + header.length + 1).toBeLessThan(200);
    expect(prefix.length + header.length + 1 + payload.length).toBeGreaterThan(200);
    const from = stack.bot.lines.length;
    expect((await stack.teams.invoke(USERS.adele, 'signin/failure', { code: 'resourcematchfailed', message })).status).toBe(200);
    await stack.bot.waitForLine((line) => line.includes('Teams reported an SSO failure'), { from });
    const leaked = stack.bot.lines.filter((line) => line.includes(header) || line.includes(payload.slice(0, 20)));
    expect(leaked).toEqual([]);
  });

  const chatOf = (user: TeamsUser): string => personalChatId(user);

  /** The user signs in through the OAuthCard of their `reviews` command, then signs out. */
  async function signInThenOut(user: TeamsUser): Promise<void> {
    await stack.teams.message(user, 'reviews');
    const card = await stack.teams.waitForOAuthCard(chatOf(user));
    expect((await stack.teams.signInFromOAuthCard(user, card, stack.tenant)).status).toBe(200);
    await stack.teams.waitFor(() => stack.teams.sent.find((s) => s.conversationId === chatOf(user) && stack.teams.textOf(s).includes('role')));
    await stack.teams.message(user, 'sign out');
    await stack.teams.waitFor(() => stack.teams.sent.find((s) => s.conversationId === chatOf(user) && stack.teams.textOf(s).includes('signed out')));
  }

  /** The user's next command is answered with an OAuthCard (sign-in needed), not with a result. */
  async function expectSignInNeeded(user: TeamsUser): Promise<void> {
    stack.teams.clear();
    await stack.teams.message(user, 'reviews');
    const first = await stack.teams.waitFor(() => stack.teams.sent.find((s) => s.conversationId === chatOf(user)));
    expect({ oauthCard: oauthCardOf(first) !== undefined, text: stack.teams.textOf(first) }).toEqual({ oauthCard: true, text: expect.any(String) as string });
  }

  test("Adele's signin/tokenExchange with Megan's SSO token: 412, and Megan stays signed out", async () => {
    await signInThenOut(USERS.megan);
    await stack.teams.message(USERS.adele, 'reviews');
    const adeleCard = await stack.teams.waitForOAuthCard(chatOf(USERS.adele));
    const replay = await stack.teams.exchangeToken(USERS.adele, adeleCard, await ssoToken(stack.tenant, USER.megan));
    expect(replay.status).toBe(412);
    await expectSignInNeeded(USERS.megan);
  });

  test("Adele's Universal Actions retry carrying Megan's SSO token: loginRequest, and Megan stays signed out", async () => {
    await signInThenOut(USERS.megan);
    const channel: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
    const answer = await stack.teams.cardAction(USERS.adele, 'card-1', 'reviews.list', { args: '' }, channel,
      { id: 'replayed-exchange', connectionName: 'sso', token: await ssoToken(stack.tenant, USER.megan) });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest' });
    await expectSignInNeeded(USERS.megan);
  });
});
