import jwt from 'jsonwebtoken';
import { graphScopes, MsalTokenProvider } from '../../../bot/auth/tokenProvider';
import { loadConfig } from '../../../bot/config';
import { isAppError } from '../../../bot/errors';
import { createLogger } from '../../../bot/logger';
import { USER } from '../../../dev/tenant/tenant';
import { graph, ssoToken, startLocalTenant, type LocalTenant } from '../../support/localTenant';

/** The bot's identity seam against the local identity provider, configured as in local mode. */
let tenant: LocalTenant;
let provider: MsalTokenProvider;
beforeAll(async () => {
  tenant = await startLocalTenant();
  const config = loadConfig({ AAD_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`, LOG_LEVEL: 'silent' });
  provider = await MsalTokenProvider.create(config, createLogger('silent'));
});
afterAll(async () => {
  await tenant.dispose();
});

const errorOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

test('after one exchange the user token comes silently from the cache and works on Graph', async () => {
  expect(isAppError(await errorOf(provider.userToken(USER.adele)), 'SignInRequired')).toBe(true);
  const user = await provider.exchange(await ssoToken(tenant, 'adele@contoso.local'));
  expect(user.userId).toBe(USER.adele);
  const token = await provider.userToken(USER.adele);
  expect((jwt.decode(token) as jwt.JwtPayload).oid).toBe(USER.adele);
  const me = await graph(tenant, token, 'GET', '/me');
  expect(me.body.id).toBe(USER.adele);
});

test('tokens are per user: Megan signing in does not give Alex a token', async () => {
  await provider.exchange(await ssoToken(tenant, USER.megan));
  expect((jwt.decode(await provider.userToken(USER.megan)) as jwt.JwtPayload).oid).toBe(USER.megan);
  expect(isAppError(await errorOf(provider.userToken(USER.alex)), 'SignInRequired')).toBe(true);
});

test('sign out forgets the user', async () => {
  await provider.exchange(await ssoToken(tenant, USER.grady));
  await provider.signOut(USER.grady);
  expect(isAppError(await errorOf(provider.userToken(USER.grady)), 'SignInRequired')).toBe(true);
});

test('consent missing → ConsentRequired; expired or forged SSO token → InvalidSsoToken', async () => {
  expect(isAppError(await errorOf(provider.exchange(await ssoToken(tenant, 'pradeep@contoso.local'))), 'ConsentRequired')).toBe(true);
  expect(isAppError(await errorOf(provider.exchange(await ssoToken(tenant, USER.lee, -60))), 'InvalidSsoToken')).toBe(true);
  const forged = jwt.sign({ aud: 'api://botid-22222222-2222-4222-8222-222222222222', oid: USER.lee, scp: 'access_as_user' }, 'guess');
  expect(isAppError(await errorOf(provider.exchange(forged)), 'InvalidSsoToken')).toBe(true);
  expect(isAppError(await errorOf(provider.userToken(USER.lee)), 'SignInRequired')).toBe(true);
});

test('the app token carries the bot application permissions and no user', async () => {
  const claims = jwt.decode(await provider.appToken()) as jwt.JwtPayload;
  expect(claims.idtyp).toBe('app');
  expect(claims.oid).not.toBe(USER.adele);
});

test.each([
  ['the global cloud', 'https://graph.microsoft.com', 'https://graph.microsoft.com'],
  ['US Government L4', 'https://graph.microsoft.us', 'https://graph.microsoft.us'],
  ['US Government L5 (DoD)', 'https://dod-graph.microsoft.us', 'https://dod-graph.microsoft.us'],
  ['21Vianet', 'https://microsoftgraph.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
])('with an app id in %s, tokens are asked for that cloud\'s Graph', (_cloud, graphBaseUrl, resource) => {
  const config = loadConfig({ MicrosoftAppId: USER.adele, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: USER.megan, PUBLIC_BASE_URL: 'https://bot.contoso.example', GRAPH_BASE_URL: graphBaseUrl });
  const scopes = graphScopes(config);
  expect(scopes.app).toEqual([`${resource}/.default`]);
  expect(scopes.delegated).toEqual(['AccessReview.ReadWrite.All', 'Group.Read.All', 'User.ReadBasic.All', 'User.Read', 'RoleManagement.Read.Directory'].map((p) => `${resource}/${p}`));
});

test('in local mode the emulator is asked with the global scopes, whatever its port', () => {
  expect(graphScopes(loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:4982' })).app).toEqual(['https://graph.microsoft.com/.default']);
});
