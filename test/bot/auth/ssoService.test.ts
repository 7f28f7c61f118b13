import { SsoService } from '../../../bot/auth/ssoService';
import { loadConfig, type AppConfig } from '../../../bot/config';
import { AppError, isAppError } from '../../../bot/errors';
import { createLogger } from '../../../bot/logger';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { IDS } from '../../support/fakeGraph';
import { FakeTokens, NOW, ssoTokenFor } from '../support/botHarness';

/**
 * The SSO exchange service (bot/auth/ssoService.ts) over a fake TokenProvider and SQLite in memory: how a
 * `signin/tokenExchange` invoke is answered (200 with {id, connectionName}, an empty 200 for duplicates, 412 with
 * failureDetail, 400 when malformed), and SSO_MODE=local's sign-in against a stubbed fetch (no network).
 * Other-user tokens in `exchange` itself are covered in test/security/ssoHardening.test.ts.
 */

let storage: SqliteStorage;
let tokens: FakeTokens;
let config: AppConfig;
let sso: SsoService;

function build(env: NodeJS.ProcessEnv = { SSO_MODE: 'teams' }): void {
  config = loadConfig(env);
  sso = new SsoService(config, tokens, storage, createLogger('silent'));
}

beforeEach(() => {
  storage = new SqliteStorage(':memory:', { now: () => NOW });
  tokens = new FakeTokens();
  build();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await storage.close();
});

const exchangeOf = (userId: string, id = 'exchange-1'): Record<string, unknown> => ({ id, connectionName: 'GraphSso', token: ssoTokenFor(userId) });

describe('tokenExchange', () => {
  test('the sender\'s own token: 200 with the id and connection, signed in', async () => {
    const { outcome, response } = await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele);
    expect(outcome).toEqual({ kind: 'signedIn', userId: IDS.adele });
    expect(response).toEqual({ status: 200, body: { id: 'exchange-1', connectionName: 'GraphSso' } });
    expect(tokens.signedIn.has(IDS.adele)).toBe(true);
  });

  test('the same exchange id twice in one conversation: the second answered 200 with no body, outcome duplicate', async () => {
    await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele);
    const second = await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele);
    expect(second).toEqual({ outcome: { kind: 'duplicate' }, response: { status: 200 } });
    // The same id in another conversation is another exchange.
    const elsewhere = await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-2', IDS.adele);
    expect(elsewhere.outcome).toEqual({ kind: 'signedIn', userId: IDS.adele });
  });

  // Was a bug (found by this test, fixed): the de-duplication key is `sso-exchange/<conversation>/<id>`, without the user. In a group
  // chat everyone sees the OAuthCard's exchange id, so another member's exchange with that id makes the requester's
  // own exchange a "duplicate" (an empty 200, her waiting command never runs). See test/bot/teamsBot.test.ts.
  test('the same exchange id from two users in one conversation: neither is the other\'s duplicate', async () => {
    await sso.tokenExchange(exchangeOf(IDS.megan), 'group-chat', IDS.megan);
    expect((await sso.tokenExchange(exchangeOf(IDS.adele), 'group-chat', IDS.adele)).outcome).toEqual({ kind: 'signedIn', userId: IDS.adele });
  });

  test('a duplicate arriving at another replica (a second service over the same storage) is still a duplicate', async () => {
    await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele);
    const replica = new SsoService(config, new FakeTokens(), storage, createLogger('silent'));
    expect((await replica.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele)).outcome).toEqual({ kind: 'duplicate' });
  });

  test('a token of another user: 412, and tokens.exchange is never called', async () => {
    const { outcome, response } = await sso.tokenExchange(exchangeOf(IDS.megan), 'conv-1', IDS.adele);
    expect(outcome).toEqual({ kind: 'failed', code: 'UserMismatch' });
    expect(response).toEqual({ status: 412, body: { id: 'exchange-1', connectionName: 'GraphSso', failureDetail: 'The token could not be exchanged.' } });
    expect(tokens.exchanged).toEqual([]);
    expect(tokens.signedIn.size).toBe(0);
    // A refusal is not remembered: the sender's own token with the same id is exchanged afterwards.
    expect((await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele)).outcome).toEqual({ kind: 'signedIn', userId: IDS.adele });
  });

  test('ConsentRequired from tokens.exchange: 412 with failureDetail consent_required; after consent the same id goes through', async () => {
    tokens.needsConsent.add(IDS.adele);
    const { outcome, response } = await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele);
    expect(outcome).toEqual({ kind: 'failed', code: 'ConsentRequired' });
    expect(response).toEqual({ status: 412, body: { id: 'exchange-1', connectionName: 'GraphSso', failureDetail: 'consent_required' } });
    expect(tokens.exchanged).toEqual([IDS.adele]);
    tokens.needsConsent.clear();
    expect((await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele)).response.status).toBe(200);
  });

  test('an invalid token (InvalidSsoToken from the exchange): 412 without consent_required', async () => {
    jest.spyOn(tokens, 'exchange').mockRejectedValue(new AppError('InvalidSsoToken', 'Your sign-in could not be completed.'));
    const { outcome, response } = await sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele);
    expect(outcome).toEqual({ kind: 'failed', code: 'InvalidSsoToken' });
    expect(response).toMatchObject({ status: 412, body: { failureDetail: 'The token could not be exchanged.' } });
  });

  test('anything else thrown by the exchange is not turned into a 412 (it is a bug: onTurnError)', async () => {
    jest.spyOn(tokens, 'exchange').mockRejectedValue(new Error('msal exploded'));
    await expect(sso.tokenExchange(exchangeOf(IDS.adele), 'conv-1', IDS.adele)).rejects.toThrow('msal exploded');
  });

  test.each([
    ['no value', undefined],
    ['a string', 'token'],
    ['no token', { id: 'exchange-1', connectionName: 'GraphSso' }],
    ['no id', { connectionName: 'GraphSso', token: 'a.b.c' }],
    ['an empty id', { id: '', token: 'a.b.c' }],
    ['an empty token', { id: 'exchange-1', token: '' }],
    ['a token that is not a string', { id: 'exchange-1', token: { oid: IDS.adele } }],
  ])('a malformed value (%s): 400, nothing exchanged', async (_name, value) => {
    const { outcome, response } = await sso.tokenExchange(value, 'conv-1', IDS.adele);
    expect(outcome).toBeUndefined();
    expect(response).toEqual({ status: 400, body: { failureDetail: 'The token exchange request is missing its id or token.' } });
    expect(tokens.exchanged).toEqual([]);
  });

  test('without a connection name the configured one is answered', async () => {
    build({ SSO_MODE: 'teams', SSO_CONNECTION_NAME: 'MyConnection' });
    const { response } = await sso.tokenExchange({ id: 'exchange-9', token: ssoTokenFor(IDS.adele) }, 'conv-1', IDS.adele);
    expect(response).toEqual({ status: 200, body: { id: 'exchange-9', connectionName: 'MyConnection' } });
  });
});

describe('localSignIn (SSO_MODE=local, fetch stubbed)', () => {
  function stubFetch(answer: () => Response): jest.SpyInstance {
    return jest.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(answer()));
  }

  test('asks the local identity provider for the user\'s token, then exchanges it', async () => {
    build({});
    const fetch = stubFetch(() => Response.json({ token: ssoTokenFor(IDS.adele) }));
    expect(await sso.localSignIn(IDS.adele)).toEqual({ kind: 'signedIn', userId: IDS.adele });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(config.sso.localTokenUrl);
    expect(init).toMatchObject({ method: 'POST', body: JSON.stringify({ user: IDS.adele }) });
    expect(tokens.exchanged).toEqual([IDS.adele]);
  });

  test('an unknown user (404): failed, nothing exchanged', async () => {
    build({});
    stubFetch(() => new Response('', { status: 404 }));
    expect(await sso.localSignIn(IDS.adele)).toEqual({ kind: 'failed', code: 'InvalidSsoToken' });
    expect(tokens.exchanged).toEqual([]);
  });

  test('a token for someone else from the provider is refused like any other', async () => {
    build({});
    stubFetch(() => Response.json({ token: ssoTokenFor(IDS.megan) }));
    expect(await sso.localSignIn(IDS.adele)).toEqual({ kind: 'failed', code: 'UserMismatch' });
    expect(tokens.exchanged).toEqual([]);
  });

  test('the provider failing (500): AppError Internal', async () => {
    build({});
    stubFetch(() => new Response('', { status: 500 }));
    const error = await sso.localSignIn(IDS.adele).then(() => undefined, (failure: unknown) => failure);
    expect(isAppError(error, 'Internal')).toBe(true);
  });
});
