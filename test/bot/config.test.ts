import { resolve, sep } from 'node:path';
import { loadConfig, redactedSummary, type AppConfig } from '../../bot/config';
import { AppError } from '../../bot/errors';
import { configError, type Env } from '../support/configError';

/** config.ts: the only reader of the environment, validated once, frozen, secrets kept out of the summary. */

const LOCAL_TENANT = '11111111-1111-4111-8111-111111111111';
const LOCAL_CLIENT = '22222222-2222-4222-8222-222222222222';
const APP_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';



/** The entries of a "Missing configuration: a, b, c" message. */
const missingKeys = (error: AppError): string[] =>
  error.userMessage.replace(/^Missing configuration: /, '').split(', ');

describe('local mode (no MicrosoftAppId)', () => {
  const config = loadConfig({});

  test('uses the local tenant defaults', () => {
    expect(config.localMode).toBe(true);
    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.logLevel).toBe('info');
    expect(config.bot).toMatchObject({ appId: '', appPassword: undefined, tenantId: undefined, appType: 'SingleTenant' });
    expect(config.aad).toEqual({
      clientId: LOCAL_CLIENT, clientSecret: 'local-bot-secret', tenantId: LOCAL_TENANT,
      authority: `https://login.contoso.local/${LOCAL_TENANT}`,
      metadataUrl: 'http://127.0.0.1:3981/.well-known/openid-configuration',
    });
    expect(config.sso).toEqual({
      mode: 'local', appIdUri: `api://botid-${LOCAL_CLIENT}`, connectionName: 'GraphSso',
      localTokenUrl: 'http://127.0.0.1:3981/dev/sso-token', tokenServiceUrl: 'https://token.botframework.com',
    });
    expect(config.graphBaseUrl).toBe('http://127.0.0.1:3982');
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:3978');
  });

  test('keeps its state in SQLite under .local/bot', () => {
    expect(config.storage).toEqual({ kind: 'sqlite', file: resolve('.local', 'bot', 'state.sqlite') });
    if (config.storage.kind !== 'sqlite') throw new Error('expected sqlite storage');
    expect(config.storage.file).toContain(`${sep}.local${sep}bot${sep}`);
  });

  test('an empty or blank value means "not set"', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '  ', MicrosoftAppId: '', GRAPH_BASE_URL: '' })).toEqual(config);
  });

  test('the returned object is frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Reflect.set(config, 'port', 1)).toBe(false);
    expect(config.port).toBe(3978);
  });
});

describe('explicit values beat the defaults', () => {
  const cases: [Env, (config: Readonly<AppConfig>) => unknown, unknown][] = [
    [{ PORT: '4000' }, (c) => [c.port, c.publicBaseUrl], [4000, 'http://127.0.0.1:4000']],
    // Local mode listens on loopback only (any other address is refused: test/security/productionConfig.test.ts).
    [{ HOST: '::1' }, (c) => c.host, '::1'],
    [{ LOG_LEVEL: 'debug' }, (c) => c.logLevel, 'debug'],
    [{ AAD_CLIENT_ID: 'client-x' }, (c) => [c.aad.clientId, c.sso.appIdUri], ['client-x', 'api://botid-client-x']],
    [{ AAD_CLIENT_SECRET: 'secret-x' }, (c) => c.aad.clientSecret, 'secret-x'],
    [{ AAD_TENANT_ID: 'tenant-x' }, (c) => [c.aad.tenantId, c.aad.authority], ['tenant-x', 'https://login.contoso.local/tenant-x']],
    // Local mode only: with an app id the authority and Graph hosts come from Microsoft's allowlist (see below).
    [{ AAD_AUTHORITY_HOST: 'https://login.example.test/' }, (c) => c.aad.authority, `https://login.example.test/${LOCAL_TENANT}`],
    [{ AAD_METADATA_URL: 'https://idp.example.test/meta' }, (c) => c.aad.metadataUrl, 'https://idp.example.test/meta'],
    [{ SSO_MODE: 'teams' }, (c) => c.sso.mode, 'teams'],
    [{ SSO_APP_ID_URI: 'api://example/x' }, (c) => c.sso.appIdUri, 'api://example/x'],
    [{ SSO_CONNECTION_NAME: 'OtherSso' }, (c) => c.sso.connectionName, 'OtherSso'],
    [{ LOCAL_SSO_TOKEN_URL: 'http://127.0.0.1:9/t' }, (c) => c.sso.localTokenUrl, 'http://127.0.0.1:9/t'],
    [{ GRAPH_BASE_URL: 'https://graph.example.test/' }, (c) => c.graphBaseUrl, 'https://graph.example.test'],
    [{ PUBLIC_BASE_URL: 'https://bot.example.test/' }, (c) => c.publicBaseUrl, 'https://bot.example.test'],
    [{ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', STORAGE_CONTAINER: 'box' }, (c) => c.storage,
      { kind: 'blob', connectionString: 'UseDevelopmentStorage=true', container: 'box' }],
    [{ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }, (c) => c.storage,
      { kind: 'blob', connectionString: 'UseDevelopmentStorage=true', container: 'access-review-bot' }],
    [{ LOCAL_DATA_DIR: 'elsewhere' }, (c) => c.storage, { kind: 'sqlite', file: resolve('elsewhere', 'bot', 'state.sqlite') }],
    [{ LOCAL_IDP_PORT: '5001' }, (c) => [c.aad.metadataUrl, c.sso.localTokenUrl],
      ['http://127.0.0.1:5001/.well-known/openid-configuration', 'http://127.0.0.1:5001/dev/sso-token']],
    [{ LOCAL_GRAPH_PORT: '5002' }, (c) => c.graphBaseUrl, 'http://127.0.0.1:5002'],
  ];
  test.each(cases)('%j', (env, pick, expected) => {
    expect(pick(loadConfig(env))).toEqual(expected);
  });
});

describe('production (MicrosoftAppId set)', () => {
  const complete: Env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'app-password', MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.example.test' };

  test('Bot Framework values feed the Entra app, with public-cloud defaults', () => {
    const config = loadConfig(complete);
    expect(config.localMode).toBe(false);
    expect(config.host).toBe('0.0.0.0');
    expect(config.bot).toMatchObject({ appId: APP_ID, appPassword: 'app-password', tenantId: TENANT, appType: 'SingleTenant' });
    expect(config.aad).toEqual({
      clientId: APP_ID, clientSecret: 'app-password', tenantId: TENANT,
      authority: `https://login.microsoftonline.com/${TENANT}`, metadataUrl: undefined,
    });
    expect(config.sso.mode).toBe('teams');
    expect(config.graphBaseUrl).toBe('https://graph.microsoft.com');
    expect(config.publicBaseUrl).toBe('https://bot.example.test');
  });

  test.each<[Env, (config: Readonly<AppConfig>) => unknown, unknown]>([
    [{ HOST: '0.0.0.0' }, (c) => c.host, '0.0.0.0'],
    [{ HOST: '10.1.2.3' }, (c) => c.host, '10.1.2.3'],
    [{ AAD_AUTHORITY_HOST: 'https://login.microsoftonline.us/' }, (c) => c.aad.authority, `https://login.microsoftonline.us/${TENANT}`],
    [{ GRAPH_BASE_URL: 'https://graph.microsoft.us/' }, (c) => c.graphBaseUrl, 'https://graph.microsoft.us'],
    [{ PUBLIC_BASE_URL: 'https://bot.example.test/teams/' }, (c) => c.publicBaseUrl, 'https://bot.example.test/teams'],
    [{ SSO_MODE: 'teams' }, (c) => c.sso.mode, 'teams'],
  ])('explicit %j beats the default', (env, pick, expected) => {
    expect(pick(loadConfig({ ...complete, ...env }))).toEqual(expected);
  });

  test('without password and tenant: ONE ConfigInvalid error naming every missing key', () => {
    const error = configError({ MicrosoftAppId: APP_ID });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('ConfigInvalid');
    expect(missingKeys(error).sort()).toEqual([
      'AAD_CLIENT_SECRET (or MicrosoftAppPassword or AAD_CLIENT_CERTIFICATE_PATH)', 'AAD_TENANT_ID (or MicrosoftAppTenantId)', 'MicrosoftAppPassword', 'PUBLIC_BASE_URL',
    ]);
  });

  test('an Entra secret of its own does not replace the Bot Framework password', () => {
    const error = configError({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, AAD_CLIENT_SECRET: 'aad-secret', PUBLIC_BASE_URL: 'https://bot.example.test' });
    expect(missingKeys(error)).toEqual(['MicrosoftAppPassword']);
  });

  test('UserAssignedMSI needs no MicrosoftAppPassword (the Entra app still needs its secret)', () => {
    const msi: Env = { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.example.test' };
    const config = loadConfig({ ...msi, AAD_CLIENT_ID: 'sso-app', AAD_CLIENT_SECRET: 'aad-secret' });
    expect(config.bot).toMatchObject({ appType: 'UserAssignedMSI', appPassword: undefined });
    expect(config.aad).toMatchObject({ clientId: 'sso-app', clientSecret: 'aad-secret' });
    expect(missingKeys(configError(msi))).toEqual(['AAD_CLIENT_SECRET (or MicrosoftAppPassword or AAD_CLIENT_CERTIFICATE_PATH)']);
  });
});

describe('invalid values', () => {
  test.each([
    ['PORT', 'abc'], ['PORT', '70000'], ['LOG_LEVEL', 'loud'], ['GRAPH_BASE_URL', 'not a url'], ['SSO_MODE', 'other'],
    ['MicrosoftAppType', 'Cloud'], ['AAD_AUTHORITY_HOST', 'login'], ['PUBLIC_BASE_URL', 'bot.example'],
  ])('%s=%j is ConfigInvalid naming the key', (key, value) => {
    const error = configError({ [key]: value });
    expect(error.code).toBe('ConfigInvalid');
    expect(error.message).toContain(key);
  });

  test('several invalid values are all named in one error', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', GRAPH_BASE_URL: 'not a url', SSO_MODE: 'other' });
    for (const key of ['PORT', 'LOG_LEVEL', 'GRAPH_BASE_URL', 'SSO_MODE']) expect(error.message).toContain(key);
  });

  test('invalid and missing keys are named together, so one restart fixes everything', () => {
    const error = configError({ PORT: 'abc', MicrosoftAppId: APP_ID });
    expect(error.code).toBe('ConfigInvalid');
    for (const key of ['PORT', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'PUBLIC_BASE_URL']) expect(error.message).toContain(key);
  });
});

describe('redactedSummary', () => {
  const secrets = {
    AAD_CLIENT_SECRET: 'Zq-client-secret-7781',
    MicrosoftAppPassword: 'Zq-app-password-4412',
    STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=zqacct;AccountKey=Zq+account+key+9930==;',
  };
  const fragments = ['Zq-client-secret-7781', 'Zq-app-password-4412', 'Zq+account+key+9930', 'AccountKey', 'local-bot-secret'];

  test.each<[string, Env]>([
    ['local mode', {}],
    ['local mode with secrets', secrets],
    ['production, secrets of their own', { MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.example.test', ...secrets }],
    ['production, client secret from the app password', { MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.example.test',
      MicrosoftAppPassword: secrets.MicrosoftAppPassword, STORAGE_CONNECTION_STRING: secrets.STORAGE_CONNECTION_STRING }],
  ])('%s: no secret in the summary', (_name, env) => {
    const text = JSON.stringify(redactedSummary(loadConfig(env)));
    for (const fragment of fragments) expect(text).not.toContain(fragment);
  });

  test('keeps the non-secret fields', () => {
    const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.example.test', STORAGE_CONTAINER: 'box', ...secrets });
    expect(redactedSummary(config)).toMatchObject({
      port: 3978, host: '0.0.0.0', localMode: false, botAppId: APP_ID, botAppType: 'SingleTenant',
      aad: { clientId: APP_ID, tenantId: TENANT, authority: `https://login.microsoftonline.com/${TENANT}` },
      sso: { mode: 'teams', connectionName: 'GraphSso' },
      graphBaseUrl: 'https://graph.microsoft.com', publicBaseUrl: 'https://bot.example.test',
      storage: { kind: 'blob', container: 'box' },
    });
  });

  test('local mode says Bot Framework authentication is off', () => {
    expect(redactedSummary(loadConfig({}))).toMatchObject({ localMode: true, botAppId: expect.stringContaining('disabled') });
  });
});
