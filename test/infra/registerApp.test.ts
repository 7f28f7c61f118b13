import { X509Certificate, createPrivateKey } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FAKE_AZ, fakeAz, runRegisterApp } from '../support/fakeAz';

/**
 * infra/register-app.sh's credential: a client secret, or (--certificate / --create-certificate) the public
 * certificate of the PEM file the bot reads from AAD_CLIENT_CERTIFICATE_PATH. Run against a stand-in `az` on PATH:
 * no network, no Azure.
 */
const ROOT = resolve(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'infra', 'register-app.sh');
const FIXTURE_A = join(ROOT, 'test', 'fixtures', 'throwaway-test-certificate-a.pem');
const FIXTURE_B = join(ROOT, 'test', 'fixtures', 'throwaway-test-certificate-b.pem');
const { tenant: TENANT, appId: APP_ID } = FAKE_AZ;
const CONSENT_URL = `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${APP_ID}`;
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const has = (tool: string, ...args: string[]): boolean => spawnSync(tool, args).status === 0;
const hasJq = has('jq', '--version');
const hasOpenssl = has('openssl', 'version');
const hasShellcheck = has('shellcheck', '--version');
if (!hasJq) console.log('register-app.sh runs skipped: jq is not installed on this machine');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function fakeAzDir(): string {
  const dir = fakeAz();
  dirs.push(dir);
  return dir;
}

const run = runRegisterApp;

const credentialCalls = (calls: string[][]): string[][] => calls.filter((args) => args.slice(0, 4).join(' ') === 'ad app credential reset');
const lastLine = (text: string): string | undefined => text.trimEnd().split('\n').at(-1);

(hasJq ? describe : describe.skip)('infra/register-app.sh credentials (stand-in az)', () => {
  test('without a certificate: one client secret, printed as MicrosoftAppPassword, consent URL last', () => {
    const dir = fakeAzDir();
    const result = run(dir, 'bot.contoso.example');
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
    const creds = credentialCalls(result.calls);
    expect(creds).toHaveLength(1);
    expect(creds[0]).toEqual(expect.arrayContaining(['--id', APP_ID, '--years', '1']));
    expect(creds[0]).not.toContain('--cert');
    expect(result.stdout).toContain('MicrosoftAppPassword=s3cr3t');
    expect(result.stdout).not.toContain('AAD_CLIENT_CERTIFICATE_PATH');
    expect(lastLine(result.stdout)).toBe(CONSENT_URL);
  });

  test('--certificate: uploads the certificate block only (never the key), appends, creates no secret', () => {
    const dir = fakeAzDir();
    const result = run(dir, 'bot.contoso.example', '--certificate', FIXTURE_A);
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
    const creds = credentialCalls(result.calls);
    expect(creds).toHaveLength(1);
    const args = creds[0] ?? [];
    expect(args).toEqual(expect.arrayContaining(['--id', APP_ID, '--append']));
    expect(args[args.indexOf('--cert') + 1]).toMatch(/^@.*certificate-only\.pem$/);
    expect(args).not.toContain('--years');
    expect(args).not.toContain('--query');
    // Exactly the fixture's certificate, as PEM, and nothing of its key.
    const uploaded = readFileSync(join(dir, 'uploaded.pem'), 'utf8');
    expect(uploaded.trim()).toBe(readFileSync(FIXTURE_A, 'utf8').match(CERT_BLOCK)?.[0]);
    expect(uploaded).not.toMatch(/PRIVATE KEY/);
    // The temp copy is gone once the script ends.
    expect(existsSync((args[args.indexOf('--cert') + 1] ?? '').slice(1))).toBe(false);
    expect(result.stdout).toContain(`MicrosoftAppId=${APP_ID}`);
    expect(result.stdout).toContain(`MicrosoftAppTenantId=${TENANT}`);
    expect(result.stdout).toContain('AAD_CLIENT_CERTIFICATE_PATH=');
    expect(result.stdout).toContain('PUBLIC_BASE_URL=https://bot.contoso.example');
    expect(result.stdout).not.toMatch(/MicrosoftAppPassword=/);
    expect(result.stdout).not.toMatch(/PRIVATE KEY/);
    if (hasOpenssl) {
      const leaf = new X509Certificate(uploaded);
      expect(result.stdout).toContain(leaf.fingerprint.replace(/:/g, ''));
      expect(result.stdout).toContain(leaf.fingerprint256.replace(/:/g, ''));
    }
    expect(lastLine(result.stdout)).toBe(CONSENT_URL);
  });

  test('--certificate=<file> is the same option', () => {
    const dir = fakeAzDir();
    const result = run(dir, 'bot.contoso.example', 'My bot', `--certificate=${FIXTURE_A}`);
    expect(result.status).toBe(0);
    expect(credentialCalls(result.calls).map((args) => args.includes('--cert'))).toEqual([true]);
    expect(result.calls.find((args) => args.slice(0, 3).join(' ') === 'ad app create')).toEqual(expect.arrayContaining(['My bot']));
  });

  (hasOpenssl ? test : test.skip)('--create-certificate: writes a new PEM (mode 600, RSA 2048, about a year) and uploads its certificate', () => {
    const dir = fakeAzDir();
    const pem = join(dir, 'new-bot.pem');
    const result = run(dir, 'bot.contoso.example', '--create-certificate', pem);
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    const text = readFileSync(pem, 'utf8');
    const key = createPrivateKey(text);
    const cert = new X509Certificate(text.match(CERT_BLOCK)?.[0] ?? '');
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.subject).toContain('bot.contoso.example');
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    expect(readFileSync(join(dir, 'uploaded.pem'), 'utf8').trim()).toBe(cert.toString().trim());
    expect(credentialCalls(result.calls).map((args) => args.includes('--cert'))).toEqual([true]);
    expect(lastLine(result.stdout)).toBe(CONSENT_URL);
  });

  (hasOpenssl ? test : test.skip)('--create-certificate never overwrites an existing file', () => {
    const dir = fakeAzDir();
    const pem = join(dir, 'existing.pem');
    writeFileSync(pem, 'keep me');
    const result = run(dir, 'bot.contoso.example', '--create-certificate', pem);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('not overwritten');
    expect(readFileSync(pem, 'utf8')).toBe('keep me');
    expect(result.calls).toEqual([]);
  });

  test('refuses an unusable certificate file before calling az', () => {
    const dir = fakeAzDir();
    const fixture = readFileSync(FIXTURE_A, 'utf8');
    const certOnly = join(dir, 'cert-only.pem');
    writeFileSync(certOnly, fixture.match(CERT_BLOCK)?.[0] ?? '');
    const keyOnly = join(dir, 'key-only.pem');
    writeFileSync(keyOnly, fixture.replace(CERT_BLOCK, ''));
    const encrypted = join(dir, 'encrypted.pem');
    writeFileSync(encrypted, fixture.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '-----$1 ENCRYPTED PRIVATE KEY-----'));
    const cases: Array<[string[], string]> = [
      [['--certificate', join(dir, 'missing.pem')], 'cannot read'],
      [['--certificate', certOnly], 'no private key'],
      [['--certificate', keyOnly], 'no certificate'],
      [['--certificate', encrypted], 'passphrase-protected'],
      [['--certificate', FIXTURE_A, '--create-certificate', join(dir, 'x.pem')], 'exclude each other'],
      [['--certificate'], 'usage'],
      [['--bogus'], 'unknown option'],
    ];
    if (hasOpenssl) {
      // A's key with B's certificate.
      const mismatched = join(dir, 'mismatched.pem');
      writeFileSync(mismatched, fixture.replace(CERT_BLOCK, readFileSync(FIXTURE_B, 'utf8').match(CERT_BLOCK)?.[0] ?? ''));
      cases.push([['--certificate', mismatched], 'does not belong']);
    }
    for (const [args, message] of cases) {
      const result = run(dir, 'bot.contoso.example', ...args);
      expect({ args, status: result.status, mentions: result.stderr.includes(message), azCalls: result.calls.length })
        .toEqual({ args, status: 2, mentions: true, azCalls: 0 });
    }
  });
});

describe('infra/register-app.sh as a script', () => {
  test('bash -n accepts it', () => {
    expect(() => execFileSync('bash', ['-n', SCRIPT], { stdio: 'pipe' })).not.toThrow();
  });

  (hasShellcheck ? test : test.skip)('shellcheck finds nothing', () => {
    const result = spawnSync('shellcheck', [SCRIPT], { encoding: 'utf8' });
    expect({ status: result.status, out: result.stdout }).toEqual({ status: 0, out: '' });
  });
});
