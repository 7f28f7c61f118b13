import { ConfidentialClientApplication, InteractionRequiredAuthError } from '@azure/msal-node';
import jwt from 'jsonwebtoken';
import { AUTHORITY_HOST } from '../../../dev/identity/server';
import { BOT_APP_ID, BOT_APP_SECRET, USER } from '../../../dev/tenant/tenant';
import { graph, ssoToken, startLocalTenant, type LocalTenant } from '../../support/localTenant';

/**
 * msal-node 7 against the local identity provider with the production code path: an https placeholder
 * authority, knownAuthorities and authorityMetadata pointing at 127.0.0.1 (platform reference 2, configuration C).
 */
let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant();
});
afterAll(async () => {
  await tenant.dispose();
});

const client = (secret = BOT_APP_SECRET): ConfidentialClientApplication => new ConfidentialClientApplication({
  auth: {
    clientId: BOT_APP_ID, clientSecret: secret, authority: tenant.authority,
    knownAuthorities: [AUTHORITY_HOST], authorityMetadata: tenant.authorityMetadata,
  },
});
const claims = (token: string): jwt.JwtPayload => jwt.decode(token) as jwt.JwtPayload;

test('acquireTokenOnBehalfOf exchanges a Teams SSO token for a Graph token of the same user', async () => {
  const cca = client();
  const result = await cca.acquireTokenOnBehalfOf({ oboAssertion: await ssoToken(tenant, 'adele@contoso.local'), scopes: ['https://graph.microsoft.com/.default'] });
  expect(result).not.toBeNull();
  const token = claims(result?.accessToken ?? '');
  expect(token).toMatchObject({ aud: 'https://graph.microsoft.com', oid: USER.adele, idtyp: 'user' });
  expect(String(token.scp).split(' ').sort()).toEqual(['AccessReview.ReadWrite.All', 'Group.Read.All', 'RoleManagement.Read.Directory', 'User.Read', 'User.ReadBasic.All']);
  const me = await graph(tenant, result?.accessToken, 'GET', '/me');
  expect(me.status).toBe(200);
  expect(me.body.userPrincipalName).toBe('adele@contoso.local');
});

test('acquireTokenOnBehalfOf with explicit scopes gets exactly those, and a repeat comes from the cache', async () => {
  const cca = client();
  const assertion = await ssoToken(tenant, USER.megan);
  const scopes = ['https://graph.microsoft.com/AccessReview.ReadWrite.All'];
  const first = await cca.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes });
  expect(claims(first?.accessToken ?? '').scp).toBe('AccessReview.ReadWrite.All');
  const second = await cca.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes });
  expect(second?.fromCache).toBe(true);
});

test('a user who has not consented gets InteractionRequiredAuthError consent_required (AADSTS65001)', async () => {
  const error = await client().acquireTokenOnBehalfOf({ oboAssertion: await ssoToken(tenant, 'pradeep@contoso.local'), scopes: ['https://graph.microsoft.com/.default'] })
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InteractionRequiredAuthError);
  expect(error).toMatchObject({ errorCode: 'invalid_grant', subError: 'consent_required' });
});

test('an expired or foreign assertion is refused with invalid_grant (AADSTS50013)', async () => {
  const expired = await ssoToken(tenant, USER.adele, -120);
  const forged = jwt.sign({ aud: `api://botid-${BOT_APP_ID}`, oid: USER.adele, scp: 'access_as_user', iss: tenant.issuer }, 'not-the-key');
  for (const assertion of [expired, forged]) {
    const error = await client().acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['https://graph.microsoft.com/.default'] })
      .then(() => undefined, (e: unknown) => e as { errorCode?: string; errorMessage?: string });
    expect(error?.errorCode).toBe('invalid_grant');
    expect(error?.errorMessage).toContain('AADSTS50013');
  }
});

test('acquireTokenByClientCredential gets the bot app token with its application permissions only', async () => {
  const result = await client().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
  const token = claims(result?.accessToken ?? '');
  expect(token).toMatchObject({ aud: 'https://graph.microsoft.com', idtyp: 'app', appid: BOT_APP_ID });
  expect(token.scp).toBeUndefined();
  expect([...(token.roles as string[])].sort()).toEqual(['AccessReview.Read.All', 'Group.Read.All', 'User.ReadBasic.All']);
});

test('acquireTokenByClientCredential for the Bot Connector gets a token for api.botframework.com without Graph roles', async () => {
  const result = await client().acquireTokenByClientCredential({ scopes: ['https://api.botframework.com/.default'] });
  const token = claims(result?.accessToken ?? '');
  expect(token).toMatchObject({ aud: 'https://api.botframework.com', idtyp: 'app', appid: BOT_APP_ID });
  expect(token.roles).toBeUndefined();
});

test('a wrong client secret is refused (invalid_client) for both grants', async () => {
  const cca = client('not-the-secret');
  const cc = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }).then(() => undefined, (e: unknown) => e as { errorCode?: string });
  expect(cc?.errorCode).toBe('invalid_client');
  const obo = await cca.acquireTokenOnBehalfOf({ oboAssertion: await ssoToken(tenant, USER.adele), scopes: ['https://graph.microsoft.com/.default'] })
    .then(() => undefined, (e: unknown) => e as { errorCode?: string });
  expect(obo?.errorCode).toBe('invalid_client');
});
