import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfidentialClientApplication } from '@azure/msal-node';
import jwt from 'jsonwebtoken';
import { AUTHORITY_HOST } from '../../../dev/identity/server';
import { BOT_APP_ID, TENANT_ID } from '../../../dev/tenant/tenant';
import { ssoToken, startLocalTenant, tokenRequest, type LocalTenant } from '../../support/localTenant';

/**
 * The local identity provider accepts certificate credentials (private_key_jwt) as Entra does: a client assertion
 * signed with the key of a certificate uploaded to the app (POST /dev/app-certificate), named by its SHA-256
 * (msal-node 7) or SHA-1 (msal-node 2, inside botbuilder) thumbprint. Anything else is invalid_client.
 */
const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const read = (name: string): { pem: string; key: string; cert: X509Certificate } => {
  const pem = readFileSync(join(FIXTURES, name), 'utf8');
  const cert = new X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0] ?? '');
  return { pem, key: createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString(), cert };
};
const A = read('throwaway-test-certificate-a.pem');
const B = read('throwaway-test-certificate-b.pem');
const hex = (fingerprint: string): string => fingerprint.replace(/:/g, '');

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant();
});
afterAll(async () => {
  await tenant.dispose();
});

const upload = async (certificate: X509Certificate, appId = BOT_APP_ID): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${tenant.idp}/dev/app-certificate`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId, certificate: certificate.toString() }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const client = (certificate: { key: string; cert: X509Certificate }): ConfidentialClientApplication => new ConfidentialClientApplication({
  auth: {
    clientId: BOT_APP_ID, authority: tenant.authority, knownAuthorities: [AUTHORITY_HOST], authorityMetadata: tenant.authorityMetadata,
    clientCertificate: { thumbprintSha256: hex(certificate.cert.fingerprint256), privateKey: certificate.key, x5c: certificate.cert.toString() },
  },
});
const errorOf = (promise: Promise<unknown>): Promise<{ errorCode?: string; errorMessage?: string } | undefined> =>
  promise.then(() => undefined, (error: unknown) => error as { errorCode?: string; errorMessage?: string });
const GRAPH_DEFAULT = ['https://graph.microsoft.com/.default'];

test('a certificate not uploaded to the app is refused: invalid_client AADSTS700027', async () => {
  const error = await errorOf(client(A).acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT }));
  expect(error?.errorCode).toBe('invalid_client');
  expect(error?.errorMessage).toContain('AADSTS700027');
});

test('uploading needs a known app and a PEM certificate', async () => {
  expect((await upload(A.cert, '99999999-9999-4999-8999-999999999999')).status).toBe(400);
  const response = await fetch(`${tenant.idp}/dev/app-certificate`, { method: 'POST', body: JSON.stringify({ appId: BOT_APP_ID, certificate: 'nope' }) });
  expect(response.status).toBe(400);
});

test('once uploaded, msal-node 7 gets app and on-behalf-of tokens with it (x5t#S256, PS256)', async () => {
  expect(await upload(A.cert)).toEqual({ status: 200, body: { appId: BOT_APP_ID, thumbprintSha256: hex(A.cert.fingerprint256), certificates: 1 } });
  const cca = client(A);
  const app = await cca.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT });
  expect(jwt.decode(app?.accessToken ?? '')).toMatchObject({ appid: BOT_APP_ID, idtyp: 'app' });
  const obo = await cca.acquireTokenOnBehalfOf({ oboAssertion: await ssoToken(tenant, 'adele@contoso.local'), scopes: GRAPH_DEFAULT });
  expect(jwt.decode(obo?.accessToken ?? '')).toMatchObject({ appid: BOT_APP_ID, idtyp: 'user', preferred_username: 'adele@contoso.local' });
});

test('rotation: a second certificate works beside the first, both at once', async () => {
  expect((await upload(B.cert)).body.certificates).toBe(2);
  for (const certificate of [A, B]) {
    const result = await client(certificate).acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT, skipCache: true });
    expect(result?.accessToken).toBeTruthy();
  }
});

test('botbuilder\'s own msal-node 2 (SHA-1 thumbprint, RS256: CertificateAppCredentials\' settings) gets a Bot Connector token', async () => {
  // The copy botframework-connector 4.23.3 uses, configured as CertificateAppCredentials does, plus the local authority.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const msal2 = require(require.resolve('@azure/msal-node', { paths: [require.resolve('botframework-connector/package.json')] })) as typeof import('@azure/msal-node');
  const cca = new msal2.ConfidentialClientApplication({
    auth: {
      clientId: BOT_APP_ID, authority: tenant.authority, knownAuthorities: [AUTHORITY_HOST], authorityMetadata: tenant.authorityMetadata,
      clientCertificate: { thumbprint: hex(A.cert.fingerprint), privateKey: A.key, x5c: A.cert.toString() },
    },
  });
  const result = await cca.acquireTokenByClientCredential({ scopes: ['https://api.botframework.com/.default'] });
  expect(jwt.decode(result?.accessToken ?? '')).toMatchObject({ aud: 'https://api.botframework.com', appid: BOT_APP_ID });
});

describe('forged or stale assertions are refused (invalid_client)', () => {
  const endpoint = (): string => `${tenant.idp}/${TENANT_ID}/oauth2/v2.0/token`;
  const assertion = (claims: Record<string, unknown>, key: string, thumbprintOf: X509Certificate): string =>
    jwt.sign({ aud: endpoint(), iss: BOT_APP_ID, sub: BOT_APP_ID, jti: crypto.randomUUID(), exp: Math.floor(Date.now() / 1000) + 600, ...claims }, key, {
      algorithm: 'PS256', header: { alg: 'PS256', 'x5t#S256': Buffer.from(hex(thumbprintOf.fingerprint256), 'hex').toString('base64url') },
    });
  const request = (clientAssertion: string, type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') => tokenRequest(tenant, {
    client_id: BOT_APP_ID, grant_type: 'client_credentials', scope: GRAPH_DEFAULT[0] ?? '', client_assertion_type: type, client_assertion: clientAssertion,
  });

  test.each<[string, () => string, number]>([
    ['signed with another key than the named certificate\'s', () => assertion({}, B.key, A.cert), 700027],
    ['for another audience', () => assertion({ aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' }, A.key, A.cert), 700027],
    ['issued by another app', () => assertion({ iss: 'someone-else' }, A.key, A.cert), 700027],
    ['expired (an hour ago: beyond the five minutes of clock skew)', () => assertion({ exp: Math.floor(Date.now() / 1000) - 3600 }, A.key, A.cert), 700024],
    ['unsigned (alg none)', () => `${Buffer.from(JSON.stringify({ alg: 'none', 'x5t#S256': 'x' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: BOT_APP_ID })).toString('base64url')}.`, 700027],
  ])('%s', async (_name, make, code) => {
    const result = await request(make());
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ error: 'invalid_client', error_codes: [code] });
  });

  test('a wrong client_assertion_type is invalid_request', async () => {
    const result = await request(assertion({}, A.key, A.cert), 'urn:other');
    expect(result).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('uploaded certificates survive a restart of the identity provider (kept in its data directory)', () => {
    const saved = JSON.parse(readFileSync(join(tenant.dataDir, 'identity', 'app-certificates.json'), 'utf8')) as Record<string, string[]>;
    expect(saved[BOT_APP_ID]).toHaveLength(2);
  });
});
