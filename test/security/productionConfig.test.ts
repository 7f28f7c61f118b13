import http from 'node:http';
import https from 'node:https';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MsalTokenProvider } from '../../bot/auth/tokenProvider';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { configError, type Env } from '../support/configError';

/**
 * Issue 7, item 5: with MicrosoftAppId set the bot faces Teams for real, so config.ts refuses the local tenant's
 * keys and test-only trust roots, insists on https, and takes Graph and login hosts from an allowlist of the
 * Microsoft clouds; local mode (no app id) serves only this machine. Every refusal names its key.
 */


const APP_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
/** A complete, valid production configuration: every case below differs from it by one key. */
const PROD: Env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'app-password', MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.contoso.example' };


const names = (message: string, key: string): boolean => new RegExp(`(^|[^A-Za-z_])${key}([^A-Za-z_]|$)`).test(message);

test('the production baseline is accepted (so each refusal below is caused by its one key)', () => {
  const config = loadConfig(PROD);
  expect(config.localMode).toBe(false);
  expect(config.graphBaseUrl).toBe('https://graph.microsoft.com');
  expect(config.aad.authority).toBe(`https://login.microsoftonline.com/${TENANT}`);
  expect(config.aad.metadataUrl).toBeUndefined();
  expect(config.sso.mode).toBe('teams');
  expect(config.publicBaseUrl).toBe('https://bot.contoso.example');
});

describe('with MicrosoftAppId: refused, naming the key', () => {
  test.each<[string, string | undefined]>([
    // Test-only trust roots: whoever serves them could send activities as any user.
    ['BOT_OPENID_METADATA_URL', 'http://127.0.0.1:7/.well-known/openid-configuration'],
    ['BOT_OPENID_METADATA_URL', 'https://login.botframework.com/v1/.well-known/openidconfiguration'],
    ['BOT_TOKEN_ISSUER', 'https://api.botframework.com'],
    // The local tenant's keys.
    ['SSO_MODE', 'local'],
    ['LOCAL_SSO_TOKEN_URL', 'http://127.0.0.1:3981/dev/sso-token'],
    ['LOCAL_SSO_TOKEN_URL', 'https://idp.contoso.example/dev/sso-token'],
    ['AAD_METADATA_URL', 'http://127.0.0.1:3981/.well-known/openid-configuration'],
    ['AAD_METADATA_URL', `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`],
    // Exports written on the bot's own disk (the Playground's stand-in for Teams' file flow).
    ['FILE_DELIVERY', 'local'],
    // SSO_MODE=connection's token service: only Microsoft's (a test's on 127.0.0.1 would receive every user's SSO token).
    ['SSO_TOKEN_SERVICE_URL', 'http://127.0.0.1:4000'],
    ['SSO_TOKEN_SERVICE_URL', 'http://token.botframework.com'],
    ['SSO_TOKEN_SERVICE_URL', 'https://token.botframework.com.contoso.example'],
    ['SSO_TOKEN_SERVICE_URL', 'https://token.botframework.com/api'],
    // Graph: https, an allowlisted host, the origin only.
    ['GRAPH_BASE_URL', 'http://graph.microsoft.com'],
    ['GRAPH_BASE_URL', 'http://127.0.0.1:3982'],
    ['GRAPH_BASE_URL', 'javascript:alert(1)'],
    ['GRAPH_BASE_URL', 'https://graph.contoso.example'],
    ['GRAPH_BASE_URL', 'https://graph.microsoft.com.contoso.example'],
    ['GRAPH_BASE_URL', 'https://evil.graph.microsoft.com'],
    ['GRAPH_BASE_URL', 'https://user:pass@graph.microsoft.com'],
    ['GRAPH_BASE_URL', 'https://graph.microsoft.com/v1.0'],
    ['GRAPH_BASE_URL', 'https://graph.microsoft.com/?x=1'],
    ['GRAPH_BASE_URL', 'https://graph.microsoft.com/#x'],
    ['GRAPH_BASE_URL', 'https://graph.microsoft.com:8443'],
    // Entra ID authority host: https, an allowlisted host, the origin only.
    ['AAD_AUTHORITY_HOST', 'http://login.microsoftonline.com'],
    ['AAD_AUTHORITY_HOST', 'https://login.contoso.local'],
    ['AAD_AUTHORITY_HOST', 'https://login.contoso.example'],
    ['AAD_AUTHORITY_HOST', 'https://login.microsoftonline.com.contoso.example'],
    ['AAD_AUTHORITY_HOST', 'https://user:pass@login.microsoftonline.com'],
    ['AAD_AUTHORITY_HOST', `https://login.microsoftonline.com/${TENANT}`],
    ['AAD_AUTHORITY_HOST', 'https://login.microsoftonline.com/?x=1'],
    ['AAD_AUTHORITY_HOST', 'javascript:alert(1)'],
    // The sign-in pages' public address: required, https, no credentials, query or fragment.
    ['PUBLIC_BASE_URL', undefined],
    ['PUBLIC_BASE_URL', 'http://bot.contoso.example'],
    ['PUBLIC_BASE_URL', 'https://user:pass@bot.contoso.example'],
    ['PUBLIC_BASE_URL', 'https://bot.contoso.example/?next=x'],
    ['PUBLIC_BASE_URL', 'https://bot.contoso.example/#x'],
    ['PUBLIC_BASE_URL', 'javascript:alert(1)'],
  ])('%s=%j', (key, value) => {
    const error = configError({ ...PROD, [key]: value });
    expect(error.code).toBe('ConfigInvalid');
    expect({ key, named: names(error.message, key) }).toEqual({ key, named: true });
  });

  test('every refusal is reported in ONE error', () => {
    const bad: Env = {
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:7/meta', BOT_TOKEN_ISSUER: 'https://api.botframework.com', SSO_MODE: 'local',
      LOCAL_SSO_TOKEN_URL: 'http://127.0.0.1:3981/dev/sso-token', AAD_METADATA_URL: 'http://127.0.0.1:3981/meta',
      GRAPH_BASE_URL: 'http://127.0.0.1:3982', AAD_AUTHORITY_HOST: 'https://login.contoso.local', PUBLIC_BASE_URL: 'http://127.0.0.1:3978',
      FILE_DELIVERY: 'local', AAD_CLIENT_CERTIFICATE_PATH: '/nowhere/throwaway.pem',
    };
    const error = configError({ ...PROD, ...bad });
    expect(error.code).toBe('ConfigInvalid');
    for (const key of Object.keys(bad)) expect({ key, named: names(error.message, key) }).toEqual({ key, named: true });
  });

  test('a refusal never echoes the value (a URL may carry credentials)', () => {
    const error = configError({ ...PROD, GRAPH_BASE_URL: 'https://zq-user:zq-pass-8812@graph.microsoft.com' });
    expect(error.message).not.toContain('zq-pass-8812');
  });
});

describe('with MicrosoftAppId: the Microsoft clouds are accepted', () => {
  test.each<[string, Env, string, string]>([
    ['global (defaults)', {}, 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['global (explicit, trailing slash)', { GRAPH_BASE_URL: 'https://graph.microsoft.com/', AAD_AUTHORITY_HOST: 'https://login.microsoftonline.com/' },
      'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['US Government L4 (GCC High)', { GRAPH_BASE_URL: 'https://graph.microsoft.us', AAD_AUTHORITY_HOST: 'https://login.microsoftonline.us' },
      'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['US Government L5 (DoD)', { GRAPH_BASE_URL: 'https://dod-graph.microsoft.us', AAD_AUTHORITY_HOST: 'https://login.microsoftonline.us' },
      'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['China (21Vianet)', { GRAPH_BASE_URL: 'https://microsoftgraph.chinacloudapi.cn', AAD_AUTHORITY_HOST: 'https://login.chinacloudapi.cn' },
      'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
    ['China (21Vianet, partner login host)', { GRAPH_BASE_URL: 'https://microsoftgraph.chinacloudapi.cn/', AAD_AUTHORITY_HOST: 'https://login.partner.microsoftonline.cn' },
      'https://microsoftgraph.chinacloudapi.cn', 'https://login.partner.microsoftonline.cn'],
    ['host names in capitals, explicit port 443', { GRAPH_BASE_URL: 'https://GRAPH.Microsoft.com:443', AAD_AUTHORITY_HOST: 'HTTPS://LOGIN.MICROSOFTONLINE.COM' },
      'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
  ])('%s', (_cloud, env, graph, login) => {
    const config = loadConfig({ ...PROD, ...env });
    expect(config.graphBaseUrl).toBe(graph);
    expect(config.aad.authority).toBe(`${login}/${TENANT}`);
  });

  test.each<Env>([
    { SSO_MODE: 'teams' }, { HOST: '0.0.0.0' }, { PUBLIC_BASE_URL: 'https://bot.contoso.example/teams/' },
    // An Azure Bot OAuth connection, with the regional token services (data residency) and the national clouds'.
    { SSO_MODE: 'connection', SSO_CONNECTION_NAME: 'GraphConnection' },
    ...['europe.token.botframework.com', 'unitedstates.token.botframework.com', 'india.token.botframework.com', 'token.botframework.azure.us', 'token.botframework.azure.cn']
      .map((host) => ({ SSO_MODE: 'connection', SSO_TOKEN_SERVICE_URL: `https://${host}/` })),
    // Only used to build the local tenant's defaults: harmless without it.
    { LOCAL_IDP_PORT: '5001', LOCAL_GRAPH_PORT: '5002' },
  ])('%j is accepted', (env) => {
    expect(() => loadConfig({ ...PROD, ...env })).not.toThrow();
  });

  test('a public base URL with a path keeps it (without the trailing slash)', () => {
    expect(loadConfig({ ...PROD, PUBLIC_BASE_URL: 'https://bot.contoso.example/teams/' }).publicBaseUrl).toBe('https://bot.contoso.example/teams');
  });

  test('starting with an app id and no AAD_METADATA_URL contacts nobody (msal fetches nothing until a token is needed)', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const httpSpy = jest.spyOn(http, 'request');
    const httpsSpy = jest.spyOn(https, 'request');
    try {
      const provider = await MsalTokenProvider.create(loadConfig(PROD), createLogger('silent'));
      expect(provider.authorizeEndpoint).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`);
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(httpSpy).not.toHaveBeenCalled();
      expect(httpsSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
      httpSpy.mockRestore();
      httpsSpy.mockRestore();
    }
  });
});

describe('local mode (no MicrosoftAppId) serves only this machine', () => {
  test.each(['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'bot.contoso.example', '128.0.0.1'])('HOST=%j is refused, naming HOST and MicrosoftAppId', (host) => {
    const error = configError({ HOST: host });
    expect(error.code).toBe('ConfigInvalid');
    expect(names(error.message, 'HOST')).toBe(true);
    expect(error.message).toContain('MicrosoftAppId');
  });

  test.each(['127.0.0.1', '127.0.0.2', '127.1.2.3', '::1', 'localhost', 'LOCALHOST'])('HOST=%j is accepted', (host) => {
    expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  test('the default listen address is 127.0.0.1', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });

  test.each(['BOT_OPENID_METADATA_URL', 'BOT_TOKEN_ISSUER'])('the test-only key %s is refused here too (never silently ignored)', (key) => {
    const error = configError({ [key]: 'http://127.0.0.1:7/meta' });
    expect(error.code).toBe('ConfigInvalid');
    expect(names(error.message, key)).toBe(true);
  });

  test.each(['GRAPH_BASE_URL', 'AAD_METADATA_URL', 'LOCAL_SSO_TOKEN_URL', 'AAD_AUTHORITY_HOST', 'PUBLIC_BASE_URL'])('%s must be an http(s) URL', (key) => {
    for (const value of ['javascript:alert(1)', 'file:///etc/passwd']) {
      const error = configError({ [key]: value });
      expect(error.code).toBe('ConfigInvalid');
      expect(names(error.message, key)).toBe(true);
    }
  });

  test('SSO_MODE=connection without SSO_TOKEN_SERVICE_URL is refused (no token service stands in locally); with a test\'s it loads', () => {
    const error = configError({ SSO_MODE: 'connection' });
    expect(names(error.message, 'SSO_MODE')).toBe(true);
    expect(loadConfig({ SSO_MODE: 'connection', SSO_TOKEN_SERVICE_URL: 'http://127.0.0.1:4000/' }).sso).toMatchObject({ mode: 'connection', tokenServiceUrl: 'http://127.0.0.1:4000' });
  });

  test('the local tenant defaults still load, http on loopback included', () => {
    const config = loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:4000', LOCAL_SSO_TOKEN_URL: 'http://127.0.0.1:4001/dev/sso-token' });
    expect(config).toMatchObject({ localMode: true, host: '127.0.0.1', graphBaseUrl: 'http://127.0.0.1:4000' });
  });
});

describe('the production build carries no test trust root', () => {
  const ROOT = resolve(__dirname, '..', '..');
  const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

  test('tsconfig.build.json does not compile test/', () => {
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[]; exclude?: string[] };
    expect(build.include.some((entry) => entry.startsWith('test'))).toBe(false);
    expect(build.exclude).toContain('test');
  });

  test('no file under bot/ reads a TEST_ key (only test/support/productionModeBot.ts does)', () => {
    for (const file of files(join(ROOT, 'bot'))) {
      const text = readFileSync(file, 'utf8');
      expect({ file, reads: /process\.env\.TEST_|TEST_BOT_/.test(text) }).toEqual({ file, reads: false });
    }
  });
});
