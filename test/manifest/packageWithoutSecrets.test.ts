import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { MANIFEST_DIR, checkManifest, fillTemplate, valuesFromEnv, type ManifestJson } from '../../manifest/package';

/**
 * Issue 14 item 5: `npm run package-manifest` needs the app id and the public address only (no secret, no
 * certificate), and the manifest's privacy and terms links are the bot's own /privacy and /terms.
 */

// As in manifest.test.ts: @microsoft/app-manifest's strip-bom 5 is ESM only, which jest's loader cannot require.
jest.mock(require.resolve('strip-bom', { paths: [require.resolve('@microsoft/app-manifest/package.json')] }), () => ({
  __esModule: true,
  default: (text: string): string => text.replace(/^\uFEFF/, ''),
}));

const ROOT = resolve(__dirname, '..', '..');
const APP_ID = '33333333-3333-4333-8333-333333333333';
const ENV = { MicrosoftAppId: APP_ID, PUBLIC_BASE_URL: 'https://bot.contoso.example' };

describe('valuesFromEnv', () => {
  test('needs only MicrosoftAppId and PUBLIC_BASE_URL', () => {
    expect(valuesFromEnv(ENV, '1.0.0')).toEqual({
      APP_ID, BOT_DOMAIN: 'bot.contoso.example', VERSION: '1.0.0', APP_ID_URI: `api://botid-${APP_ID}`, PUBLIC_BASE_URL: 'https://bot.contoso.example',
    });
    expect(valuesFromEnv({ ...ENV, SSO_APP_ID_URI: `api://bot.contoso.example/botid-${APP_ID}` }, '1.0.0').APP_ID_URI).toBe(`api://bot.contoso.example/botid-${APP_ID}`);
    expect(valuesFromEnv({ ...ENV, PUBLIC_BASE_URL: 'https://bot.contoso.example/teams/' }, '1.0.0').PUBLIC_BASE_URL).toBe('https://bot.contoso.example/teams');
  });

  test('SSO_MODE=connection: the token service\'s host (default, or a regional one) becomes a valid domain, for the cards\' sign-in link', async () => {
    const template = await readFile(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8');
    const domains = (env: NodeJS.ProcessEnv): string[] | undefined => (JSON.parse(fillTemplate(template, valuesFromEnv(env, '1.0.0'))) as ManifestJson).validDomains;
    expect(domains(ENV)).toEqual(['bot.contoso.example']);
    expect(domains({ ...ENV, SSO_MODE: 'connection' })).toEqual(['bot.contoso.example', 'token.botframework.com']);
    expect(domains({ ...ENV, SSO_MODE: 'connection', SSO_TOKEN_SERVICE_URL: 'https://europe.token.botframework.com' })).toEqual(['bot.contoso.example', 'europe.token.botframework.com']);
    expect(() => valuesFromEnv({ ...ENV, SSO_MODE: 'connection', SSO_TOKEN_SERVICE_URL: 'https://tokens.contoso.example' }, '1.0.0')).toThrow(/SSO_TOKEN_SERVICE_URL must be/);
  });

  test('ignores what the bot would refuse at start-up but packaging does not use (a local-only key, no secret)', () => {
    expect(() => valuesFromEnv({ ...ENV, SSO_MODE: 'local', AAD_CLIENT_CERTIFICATE_PATH: '/nowhere.pem' }, '1.0.0')).not.toThrow();
  });

  test.each([
    [{}, /MicrosoftAppId is not set.*PUBLIC_BASE_URL must be/],
    [{ ...ENV, MicrosoftAppId: 'bot' }, /MicrosoftAppId must be .* a GUID/],
    [{ ...ENV, PUBLIC_BASE_URL: 'http://bot.contoso.example' }, /PUBLIC_BASE_URL must be/],
    [{ ...ENV, PUBLIC_BASE_URL: 'https://127.0.0.1:3978' }, /PUBLIC_BASE_URL must be/],
    [{ ...ENV, PUBLIC_BASE_URL: 'https://bot.contoso.example:8443' }, /PUBLIC_BASE_URL must be/],
    [{ ...ENV, PUBLIC_BASE_URL: 'https://u:p@bot.contoso.example' }, /PUBLIC_BASE_URL must be/],
    [{ ...ENV, SSO_APP_ID_URI: 'https://x' }, /SSO_APP_ID_URI must be/],
  ])('%j is refused, naming every problem', (env, message) => {
    expect(() => valuesFromEnv(env, '1.0.0')).toThrow(message);
  });
});

describe('privacy and terms links', () => {
  test('point at the bot\'s own https://<public base URL>/privacy and /terms', async () => {
    const template = await readFile(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8');
    const manifest = JSON.parse(fillTemplate(template, valuesFromEnv(ENV, '1.0.0'))) as ManifestJson;
    expect(manifest.developer).toMatchObject({ privacyUrl: 'https://bot.contoso.example/privacy', termsOfUseUrl: 'https://bot.contoso.example/terms' });
    expect(checkManifest(manifest)).toEqual([]);
    const behindPath = JSON.parse(fillTemplate(template, valuesFromEnv({ ...ENV, PUBLIC_BASE_URL: 'https://bot.contoso.example/teams' }, '1.0.0'))) as ManifestJson;
    expect(behindPath.developer?.privacyUrl).toBe('https://bot.contoso.example/teams/privacy');
    expect(checkManifest(behindPath)).toEqual([]);
  });

  test('checkManifest refuses links elsewhere than the bot', async () => {
    const template = await readFile(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8');
    const manifest = JSON.parse(fillTemplate(template, valuesFromEnv(ENV, '1.0.0'))) as ManifestJson;
    const moved = { ...manifest, developer: { ...manifest.developer, privacyUrl: 'https://elsewhere.example/privacy', termsOfUseUrl: 'http://bot.contoso.example/terms' } };
    expect(checkManifest(moved).join('\n')).toMatch(/developer\.privacyUrl .*developer\.termsOfUseUrl/s);
  });
});

describe('npm run package-manifest (the script, in its own process)', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'package-manifest-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  test('writes the package with MicrosoftAppId and PUBLIC_BASE_URL only: no secret, no tenant, no certificate', async () => {
    const out = join(dir, 'appPackage.zip');
    // Nothing of the test's own environment but PATH: no secret can come along.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'manifest', 'package.ts'), out],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...ENV } });
    expect(stdout).toContain(`Wrote ${out}`);
    const zip = await JSZip.loadAsync(await readFile(out));
    const manifest = JSON.parse((await zip.file('manifest.json')?.async('string')) ?? '{}') as ManifestJson;
    expect(manifest.developer?.privacyUrl).toBe('https://bot.contoso.example/privacy');
    expect(manifest.bots?.[0]?.botId).toBe(APP_ID);
  }, 60_000);

  test('without the app id it fails naming it, and writes nothing', async () => {
    const out = join(dir, 'none.zip');
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'manifest', 'package.ts'), out],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PUBLIC_BASE_URL: ENV.PUBLIC_BASE_URL } }).then(() => undefined, (error: unknown) => error as { code?: number; stderr?: string });
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^package-manifest: MicrosoftAppId is not set/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  }, 60_000);
});
