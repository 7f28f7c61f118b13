import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock, type Clock } from '../../bot/clock';
import { loadConfig, redactedSummary } from '../../bot/config';
import { configError, type Env } from '../support/configError';

/**
 * Issue 14 item 5: the Entra app's certificate credential (AAD_CLIENT_CERTIFICATE_PATH, one PEM file with the private key
 * and the certificate), validated at start-up: readable, key and certificate matching, RSA, within its validity.
 */
const FIXTURES = join(__dirname, '..', 'fixtures');
const CERT_A = join(FIXTURES, 'throwaway-test-certificate-a.pem');
const CERT_B = join(FIXTURES, 'throwaway-test-certificate-b.pem');
const APP_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
const PROD: Env = { MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.contoso.example' };
const NOW = Date.parse('2027-01-01T00:00:00Z');
const clock = fixedClock(NOW);

const pemBlocks = (file: string): { key: string; cert: string } => {
  const text = readFileSync(file, 'utf8');
  return {
    key: /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(text)?.[0] ?? '',
    cert: /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0] ?? '',
  };
};
const hexDigest = (algorithm: string, file: string): string =>
  createHash(algorithm).update(new X509Certificate(pemBlocks(file).cert).raw).digest('hex').toUpperCase();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cert-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('a valid certificate', () => {
  test('gives the SHA-256 and SHA-1 thumbprints of the certificate (as Entra shows them), the key and the x5c chain', () => {
    const config = loadConfig({ ...PROD, AAD_CLIENT_CERTIFICATE_PATH: CERT_A }, clock);
    const certificate = config.aad.certificate;
    expect(certificate).toMatchObject({
      path: CERT_A, thumbprintSha256: hexDigest('sha256', CERT_A), thumbprintSha1: hexDigest('sha1', CERT_A),
      subject: expect.stringContaining('THROWAWAY') as string,
    });
    expect(certificate?.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(certificate?.x5c.replace(/\s/g, '')).toBe(pemBlocks(CERT_A).cert.replace(/\s/g, ''));
    expect(Date.parse(certificate?.notAfter ?? '')).toBeGreaterThan(NOW);
  });

  test('replaces every secret: no MicrosoftAppPassword needed, Bot Framework uses the certificate of the same app', () => {
    const config = loadConfig({ ...PROD, AAD_CLIENT_CERTIFICATE_PATH: CERT_A }, clock);
    expect(config.aad.clientSecret).toBeUndefined();
    expect(config.bot.certificate?.thumbprintSha256).toBe(config.aad.certificate?.thumbprintSha256);
  });

  test('with a secret too, the certificate is preferred and the secret is not handed on', () => {
    const config = loadConfig({ ...PROD, MicrosoftAppPassword: 'Zq-app-password-1', AAD_CLIENT_SECRET: 'Zq-aad-secret-2', AAD_CLIENT_CERTIFICATE_PATH: CERT_A }, clock);
    expect(config.aad.clientSecret).toBeUndefined();
    expect(config.aad.certificate).toBeDefined();
    expect(config.bot.certificate).toBeDefined();
    const summary = JSON.stringify(redactedSummary(config));
    expect(summary).toContain(`certificate ${hexDigest('sha256', CERT_A)} (SHA-256)`);
    for (const secret of ['Zq-app-password-1', 'Zq-aad-secret-2', 'PRIVATE KEY', pemBlocks(CERT_A).key.split('\n')[1] ?? 'x']) expect(summary).not.toContain(secret);
  });

  test('a certificate of another Entra app (AAD_CLIENT_ID) is not the bot\'s: Bot Framework keeps MicrosoftAppPassword', () => {
    const env = { ...PROD, AAD_CLIENT_ID: 'cccccccc-0000-4000-8000-000000000003', AAD_CLIENT_CERTIFICATE_PATH: CERT_A };
    expect(configError(env).userMessage).toBe('Missing configuration: MicrosoftAppPassword (AAD_CLIENT_CERTIFICATE_PATH is for AAD_CLIENT_ID, another app)');
    const config = loadConfig({ ...env, MicrosoftAppPassword: 'app-password' }, clock);
    expect(config.bot.certificate).toBeUndefined();
    expect(config.bot.appPassword).toBe('app-password');
    expect(config.aad.certificate).toBeDefined();
  });

  test('UserAssignedMSI keeps the managed identity for Bot Framework; the certificate serves Entra calls', () => {
    const config = loadConfig({ ...PROD, MicrosoftAppType: 'UserAssignedMSI', AAD_CLIENT_CERTIFICATE_PATH: CERT_A }, clock);
    expect(config.bot.certificate).toBeUndefined();
    expect(config.aad.certificate).toBeDefined();
  });

  test('the leaf is the certificate of the key, wherever it is in the file (chain after it in x5c)', () => {
    const a = pemBlocks(CERT_A);
    const b = pemBlocks(CERT_B);
    const file = write('chain.pem', `${b.cert}\n${a.key}\n${a.cert}\n`);
    const config = loadConfig({ ...PROD, AAD_CLIENT_CERTIFICATE_PATH: file }, clock);
    expect(config.aad.certificate?.thumbprintSha256).toBe(hexDigest('sha256', CERT_A));
    expect(config.aad.certificate?.x5c.indexOf(a.cert)).toBe(0);
  });

  test('local mode accepts it too (the local identity provider checks client assertions)', () => {
    expect(loadConfig({ AAD_CLIENT_CERTIFICATE_PATH: CERT_A }, clock).aad.certificate).toBeDefined();
  });
});

describe('refused at start-up, naming AAD_CLIENT_CERTIFICATE_PATH, never quoting the file', () => {
  const a = pemBlocks(CERT_A);
  const b = pemBlocks(CERT_B);
  const at = (when: string): Clock => fixedClock(Date.parse(when));
  const cases: Array<[string, () => string, RegExp, Clock]> = [
    ['a file that is not there', () => join(dir, 'nope.pem'), /could not be read \(ENOENT\)/, clock],
    ['a certificate without its key', () => write('cert-only.pem', a.cert), /no private key in .*expected one PEM file/, clock],
    ['a key without its certificate', () => write('key-only.pem', a.key), /no certificate in /, clock],
    ['the key of another certificate', () => write('mismatch.pem', `${b.key}\n${a.cert}`), /private key .* does not belong to its certificate/, clock],
    ['an expired certificate', () => CERT_A, /expired on \d{4}-\d\d-\d\dT/, at('2200-01-01T00:00:00Z')],
    ['a certificate not valid yet', () => CERT_A, /not valid before \d{4}-/, at('2000-01-01T00:00:00Z')],
    ['a passphrase-protected key', () => write('encrypted.pem', `${generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()}\n${a.cert}`), /passphrase-protected key is not supported/, clock],
    ['an EC key', () => write('ec.pem', `${generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()}\n${a.cert}`),
      /Entra ID needs an RSA key/, clock],
  ];
  test.each(cases)('%s', (_name, file, message, when) => {
    let text = 'accepted';
    try {
      loadConfig({ ...PROD, MicrosoftAppPassword: 'x', AAD_CLIENT_CERTIFICATE_PATH: file() }, when);
    } catch (thrown) {
      expect(thrown).toMatchObject({ code: 'ConfigInvalid' });
      text = (thrown as Error).message;
    }
    expect(text).toMatch(/AAD_CLIENT_CERTIFICATE_PATH: /);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/MII[A-Za-z0-9+/]{20}/); // no base64 body of a key or certificate
    expect(text).not.toContain(a.key.split('\n')[1] ?? 'x');
  });

  test('reported with the other problems in ONE error', () => {
    const error = configError({ MicrosoftAppId: APP_ID, SSO_MODE: 'local', AAD_CLIENT_CERTIFICATE_PATH: join(dir, 'nope.pem') });
    for (const key of ['AAD_CLIENT_CERTIFICATE_PATH', 'SSO_MODE', 'AAD_TENANT_ID', 'PUBLIC_BASE_URL']) expect(error.userMessage).toContain(key);
  });

  test('neither secret nor certificate: the missing key names all three ways', () => {
    expect(configError({ ...PROD, MicrosoftAppType: 'UserAssignedMSI' }).userMessage)
      .toBe('Missing configuration: AAD_CLIENT_SECRET (or MicrosoftAppPassword or AAD_CLIENT_CERTIFICATE_PATH)');
  });
});
