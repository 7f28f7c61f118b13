import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { CertificateAppCredentials, PasswordServiceClientCredentialFactory } from 'botframework-connector';
import jwt from 'jsonwebtoken';
import { botFrameworkSettings, createAdapter } from '../../../bot/adapter';
import { MsalTokenProvider } from '../../../bot/auth/tokenProvider';
import { loadConfig } from '../../../bot/config';
import { isAppError } from '../../../bot/errors';
import { BOT_APP_ID, TENANT_ID } from '../../../dev/tenant/tenant';
import { ssoToken, startLocalTenant, type LocalTenant } from '../../support/localTenant';
import { captureLog } from './logCapture';

/**
 * Issue 14 item 5: the bot's Entra calls (client credentials, on-behalf-of) with a certificate instead of a secret,
 * against the local identity provider (which checks the client assertion against the app's uploaded certificates);
 * Bot Framework's connector credentials from the same certificate; the log says which credential, never its value.
 */
const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const CERT_A = join(FIXTURES, 'throwaway-test-certificate-a.pem');
const CERT_B = join(FIXTURES, 'throwaway-test-certificate-b.pem');
const certificateOf = (file: string): X509Certificate =>
  new X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(readFileSync(file, 'utf8'))?.[0] ?? '');
const sha256 = (file: string): string => certificateOf(file).fingerprint256.replace(/:/g, '');
const keyLine = (file: string): string => readFileSync(file, 'utf8').split('\n')[1] ?? 'x';

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant();
  // As an administrator uploads it in the app registration (Certificates & secrets).
  const response = await fetch(`${tenant.idp}/dev/app-certificate`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId: BOT_APP_ID, certificate: certificateOf(CERT_A).toString() }),
  });
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await tenant.dispose();
});

const localConfig = (certificate: string, extra: Record<string, string> = {}) =>
  loadConfig({ AAD_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`, AAD_CLIENT_CERTIFICATE_PATH: certificate, ...extra });

test('the token provider gets app and user tokens with the uploaded certificate; the log names it, without key or secret', async () => {
  const capture = captureLog();
  const provider = await MsalTokenProvider.create(localConfig(CERT_A, { AAD_CLIENT_SECRET: 'Zq-unused-secret-77' }), capture.log);
  expect(jwt.decode(await provider.appToken())).toMatchObject({ appid: BOT_APP_ID, idtyp: 'app' });
  const user = await provider.exchange(await ssoToken(tenant, 'adele@contoso.local'));
  expect(jwt.decode(await provider.userToken(user.userId))).toMatchObject({ preferred_username: 'adele@contoso.local' });
  const line = capture.records().find((record) => record.msg === 'Entra ID client credential');
  expect(line).toMatchObject({ level: 30, clientId: BOT_APP_ID, credential: expect.stringMatching(new RegExp(`^certificate ${sha256(CERT_A)} \\(SHA-256\\), expires \\d{4}-`)) as string });
  for (const secret of ['Zq-unused-secret-77', 'PRIVATE KEY', keyLine(CERT_A)]) expect(capture.text()).not.toContain(secret);
});

test('a certificate the app registration does not have: the app token is refused (AADSTS700027), the user exchange is InvalidSsoToken', async () => {
  const provider = await MsalTokenProvider.create(localConfig(CERT_B), captureLog().log);
  await expect(provider.appToken()).rejects.toMatchObject({ errorCode: 'invalid_client', errorMessage: expect.stringContaining('AADSTS700027') as string });
  const error = await provider.exchange(await ssoToken(tenant, 'adele@contoso.local')).then(() => undefined, (e: unknown) => e);
  expect(isAppError(error, 'InvalidSsoToken')).toBe(true);
});

test('with a secret only, the log says "secret" (and never its value)', async () => {
  const capture = captureLog();
  await MsalTokenProvider.create(loadConfig({ AAD_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration` }), capture.log);
  expect(capture.records().find((record) => record.msg === 'Entra ID client credential')).toMatchObject({ credential: 'secret' });
  expect(capture.text()).not.toContain('local-bot-secret');
});

describe('Bot Framework (the connector\'s credentials)', () => {
  const PROD = { MicrosoftAppId: BOT_APP_ID, MicrosoftAppTenantId: TENANT_ID, PUBLIC_BASE_URL: 'https://bot.contoso.example' };

  test('the certificate of the bot\'s own app replaces MicrosoftAppPassword: botbuilder builds CertificateAppCredentials (SHA-1 thumbprint, key)', async () => {
    const config = loadConfig({ ...PROD, MicrosoftAppPassword: 'Zq-app-password-5', AAD_CLIENT_CERTIFICATE_PATH: CERT_A });
    const settings = botFrameworkSettings(config);
    expect(settings).toMatchObject({ MicrosoftAppPassword: '', CertificateThumbprint: certificateOf(CERT_A).fingerprint.replace(/:/g, '') });
    const credentials = await new ConfigurationServiceClientCredentialFactory(settings).createCredentials(BOT_APP_ID, 'https://api.botframework.com', 'https://login.microsoftonline.com', true);
    expect(credentials).toBeInstanceOf(CertificateAppCredentials);
    expect(credentials).toMatchObject({ certificateThumbprint: settings.CertificateThumbprint, certificatePrivateKey: config.bot.certificate?.privateKey });
  });

  test('without a certificate (or with another app\'s), the password factory as before', () => {
    for (const env of [{ ...PROD, MicrosoftAppPassword: 'p' }, { ...PROD, MicrosoftAppPassword: 'p', AAD_CLIENT_ID: 'cccccccc-0000-4000-8000-000000000003', AAD_CLIENT_CERTIFICATE_PATH: CERT_A }]) {
      const settings = botFrameworkSettings(loadConfig(env));
      expect(settings).toMatchObject({ MicrosoftAppPassword: 'p' });
      expect(settings.CertificateThumbprint).toBeUndefined();
      expect((new ConfigurationServiceClientCredentialFactory(settings) as unknown as { inner: unknown }).inner).toBeInstanceOf(PasswordServiceClientCredentialFactory);
    }
  });

  test('createAdapter logs which credential Bot Framework uses, never the key or the password', () => {
    const capture = captureLog();
    createAdapter(loadConfig({ ...PROD, MicrosoftAppPassword: 'Zq-app-password-6', AAD_CLIENT_CERTIFICATE_PATH: CERT_A }), {} as never, capture.log);
    createAdapter(loadConfig({ ...PROD, MicrosoftAppPassword: 'Zq-app-password-6' }), {} as never, capture.log);
    const lines = capture.records().filter((record) => record.msg === 'Bot Framework credential');
    expect(lines.map((line) => line.credential)).toEqual([expect.stringMatching(new RegExp(`^certificate ${sha256(CERT_A)} `)), 'secret']);
    for (const secret of ['Zq-app-password-6', 'PRIVATE KEY', keyLine(CERT_A)]) expect(capture.text()).not.toContain(secret);
  });
});
