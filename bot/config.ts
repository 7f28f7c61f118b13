import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { systemClock, type Clock } from './clock';
import { AppError } from './errors';

/** Values of the local tenant (spec/local-tenant.md) used when no Teams app id is configured. */
const LOCAL = {
  tenantId: '11111111-1111-4111-8111-111111111111',
  clientId: '22222222-2222-4222-8222-222222222222',
  clientSecret: 'local-bot-secret',
  authorityHost: 'https://login.contoso.local',
} as const;

/**
 * With an app id, Graph and Entra ID are reached only at Microsoft's own hosts: the global service and the
 * national clouds (learn.microsoft.com/graph/deployments; msal's built-in cloud metadata for the China alias).
 */
export const GRAPH_HOSTS: readonly string[] = ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];
export const LOGIN_HOSTS: readonly string[] = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];
/**
 * Keys that once let tests replace Bot Framework's trust root (whoever serves it could send activities as any
 * user). No longer read: refused wherever they appear, never silently ignored. Tests use test/support/productionModeBot.ts.
 */
const RETIRED_TRUST_ROOT_KEYS = ['BOT_OPENID_METADATA_URL', 'BOT_TOKEN_ISSUER'] as const;
/** The local tenant's own keys: with an app id they would point sign-in at something that is not Entra ID. */
const LOCAL_TENANT_KEYS = ['LOCAL_SSO_TOKEN_URL', 'AAD_METADATA_URL'] as const;

const optional = z.string().trim().optional().transform((v) => (v === '' ? undefined : v));
const url = z.string().trim().url().refine((v) => httpUrl(v) !== undefined, 'must be an http:// or https:// URL');

const Schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: optional,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MicrosoftAppId: optional,
  MicrosoftAppPassword: optional,
  MicrosoftAppTenantId: optional,
  MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
  AAD_CLIENT_ID: optional,
  AAD_CLIENT_SECRET: optional,
  AAD_CLIENT_CERTIFICATE_PATH: optional,
  AAD_TENANT_ID: optional,
  AAD_AUTHORITY_HOST: optional.pipe(url.optional()),
  AAD_METADATA_URL: optional.pipe(url.optional()),
  SSO_MODE: z.enum(['teams', 'connection', 'local']).optional(),
  FILE_DELIVERY: z.enum(['teams', 'local']).optional(),
  SSO_APP_ID_URI: optional,
  SSO_CONNECTION_NAME: z.string().default('GraphSso'),
  SSO_TOKEN_SERVICE_URL: optional.pipe(url.optional()),
  LOCAL_SSO_TOKEN_URL: optional.pipe(url.optional()),
  GRAPH_BASE_URL: optional.pipe(url.optional()),
  PUBLIC_BASE_URL: optional.pipe(url.optional()),
  STORAGE_CONNECTION_STRING: optional,
  STORAGE_CONTAINER: z.string().default('access-review-bot'),
  LOCAL_DATA_DIR: z.string().default('.local'),
  LOCAL_IDP_PORT: z.coerce.number().int().default(3981),
  LOCAL_GRAPH_PORT: z.coerce.number().int().default(3982),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional.pipe(url.optional()),
  OTEL_EXPORTER_OTLP_HEADERS: optional,
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('access-review-bot'),
});

/** Every environment key the bot reads (documented one by one in .env.sample). */
export const CONFIG_KEYS: readonly string[] = Object.keys(Schema.shape);

/**
 * The Entra app's certificate credential, read from one PEM file (private key + certificate, chain optional).
 * `privateKey` is a secret: never logged (the logger redacts `privateKey` fields) and absent from the summary.
 */
export interface ClientCertificate {
  /** The file it came from (AAD_CLIENT_CERTIFICATE_PATH). */
  path: string;
  /** Hex SHA-256 thumbprint of the leaf certificate (msal-node's `thumbprintSha256`; Entra shows it too). */
  thumbprintSha256: string;
  /** Hex SHA-1 thumbprint (botbuilder's CertificateServiceClientCredentialsFactory wants this one). */
  thumbprintSha1: string;
  /** The private key, PKCS#8 PEM. */
  privateKey: string;
  /** The certificates of the file, PEM, leaf first (msal-node's `x5c`). */
  x5c: string;
  subject: string;
  /** Expiry, ISO 8601. */
  notAfter: string;
}

export interface AppConfig {
  port: number;
  /** Listen address: loopback in local mode (nothing else is allowed there), all interfaces otherwise (containers). */
  host: string;
  logLevel: string;
  /** No Teams app id: Bot Framework authentication off, local tenant defaults. */
  localMode: boolean;
  /**
   * `certificate`: the Entra app's certificate when the bot's Bot Framework identity is that same app (then it
   * replaces MicrosoftAppPassword for Bot Framework too); undefined = the password (or the managed identity).
   */
  bot: { appId: string; appPassword: string | undefined; tenantId: string | undefined; appType: string; certificate: ClientCertificate | undefined };
  /**
   * The Entra app the bot exchanges tokens as (on-behalf-of and client credentials). With a certificate the
   * secret is not used (`clientSecret` undefined): one credential, the stronger one.
   */
  aad: {
    clientId: string; clientSecret: string | undefined; certificate: ClientCertificate | undefined; tenantId: string; authority: string;
    metadataUrl: string | undefined;
  };
  /**
   * `teams`: Teams SSO, the bot's own on-behalf-of exchange (msal); `connection`: Teams SSO through the Azure Bot's
   * OAuth connection `connectionName`, the Bot Framework token service (`tokenServiceUrl`) exchanging and keeping
   * the user's Graph token; `local`: the local identity provider hands over the SSO token.
   */
  sso: { mode: 'teams' | 'connection' | 'local'; appIdUri: string; connectionName: string; localTokenUrl: string; tokenServiceUrl: string };
  graphBaseUrl: string;
  publicBaseUrl: string;
  storage: { kind: 'sqlite'; file: string } | { kind: 'blob'; connectionString: string; container: string };
  /**
   * `export`'s files. `teams`: Teams' file flow (consent card, upload to the user's OneDrive); `local`: written under
   * `localDir` (the Agents Playground has no files). `pendingDir`: where a CSV waits for the user's consent.
   */
  exports: { delivery: 'teams' | 'local'; localDir: string; pendingDir: string };
  /**
   * OpenTelemetry export (OTLP over HTTP): off when `endpoint` is undefined. `headers` (e.g. an API key) are secret:
   * never logged.
   */
  telemetry: { endpoint: string | undefined; headers: Record<string, string>; serviceName: string };
}

/**
 * Reads and validates every setting once (the only reader of process.env). Names every missing, invalid or
 * refused key in a single error. Without MicrosoftAppId the bot runs in local mode against the local tenant,
 * on loopback only; with it, only Microsoft's hosts over https (see {@link productionProblems}).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): Readonly<AppConfig> {
  // An empty value (KEY= in .env) means "not set", so the default applies.
  const given = Object.fromEntries(Object.entries(env).flatMap(([key, value]) => (value === undefined || value.trim() === '' ? [] : [[key, value.trim()]])));
  const parsed = Schema.safeParse(given);
  const invalid = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...RETIRED_TRUST_ROOT_KEYS.filter((key) => given[key] !== undefined)
      .map((key) => `${key}: a test-only trust root, no longer read (it would decide who may send activities as any user); remove it`),
    ...(given.MicrosoftAppId === undefined ? localProblems(given) : productionProblems(given)),
  ];
  const certificate = given.AAD_CLIENT_CERTIFICATE_PATH === undefined ? undefined : readClientCertificate(given.AAD_CLIENT_CERTIFICATE_PATH, clock);
  if (typeof certificate === 'string') invalid.push(`AAD_CLIENT_CERTIFICATE_PATH: ${certificate}`);
  const missing = missingKeys(given);
  if (!parsed.success || missing.length > 0 || invalid.length > 0) {
    const parts = [missing.length > 0 ? `Missing configuration: ${missing.join(', ')}` : '', invalid.length > 0 ? `Invalid configuration: ${invalid.join('; ')}` : ''];
    throw new AppError('ConfigInvalid', parts.filter(Boolean).join('. '));
  }
  const e = parsed.data;
  const localMode = e.MicrosoftAppId === undefined;
  const clientId = e.AAD_CLIENT_ID ?? e.MicrosoftAppId ?? LOCAL.clientId;
  const cert = typeof certificate === 'object' ? certificate : undefined;
  // A certificate wins over any secret: the secret is then not handed to msal at all.
  const clientSecret = cert ? undefined : e.AAD_CLIENT_SECRET ?? e.MicrosoftAppPassword ?? LOCAL.clientSecret;
  const tenantId = e.AAD_TENANT_ID ?? e.MicrosoftAppTenantId ?? LOCAL.tenantId;
  const local = (port: number, path: string): string => `http://127.0.0.1:${port}${path}`;
  // With an app id both were checked to be bare https origins of Microsoft's hosts: keep the normalised origin.
  const origin = (value: string | undefined): string | undefined => (value === undefined ? undefined : localMode ? value.replace(/\/$/, '') : new URL(value).origin);
  const authorityHost = origin(e.AAD_AUTHORITY_HOST) ?? (localMode ? LOCAL.authorityHost : 'https://login.microsoftonline.com');
  const publicBase = e.PUBLIC_BASE_URL === undefined ? undefined : new URL(e.PUBLIC_BASE_URL);
  const config: AppConfig = {
    port: e.PORT,
    host: e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    logLevel: e.LOG_LEVEL,
    localMode,
    bot: {
      appId: e.MicrosoftAppId ?? '', appPassword: e.MicrosoftAppPassword, tenantId: e.MicrosoftAppTenantId, appType: e.MicrosoftAppType,
      certificate: botUsesCertificate(given) ? cert : undefined,
    },
    aad: {
      clientId, clientSecret, certificate: cert, tenantId, authority: `${authorityHost}/${tenantId}`,
      metadataUrl: e.AAD_METADATA_URL ?? (localMode ? local(e.LOCAL_IDP_PORT, '/.well-known/openid-configuration') : undefined),
    },
    sso: {
      mode: e.SSO_MODE ?? (localMode ? 'local' : 'teams'),
      appIdUri: e.SSO_APP_ID_URI ?? `api://botid-${clientId}`,
      connectionName: e.SSO_CONNECTION_NAME,
      localTokenUrl: e.LOCAL_SSO_TOKEN_URL ?? local(e.LOCAL_IDP_PORT, '/dev/sso-token'),
      tokenServiceUrl: (e.SSO_TOKEN_SERVICE_URL ?? 'https://token.botframework.com').replace(/\/$/, ''),
    },
    graphBaseUrl: origin(e.GRAPH_BASE_URL) ?? (localMode ? local(e.LOCAL_GRAPH_PORT, '') : 'https://graph.microsoft.com'),
    // Only the local default can be absent here: with an app id PUBLIC_BASE_URL is required.
    publicBaseUrl: publicBase ? `${publicBase.origin}${publicBase.pathname}`.replace(/\/$/, '') : `http://127.0.0.1:${e.PORT}`,
    storage: e.STORAGE_CONNECTION_STRING
      ? { kind: 'blob', connectionString: e.STORAGE_CONNECTION_STRING, container: e.STORAGE_CONTAINER }
      : { kind: 'sqlite', file: resolve(e.LOCAL_DATA_DIR, 'bot', 'state.sqlite') },
    exports: {
      delivery: e.FILE_DELIVERY ?? (localMode ? 'local' : 'teams'),
      localDir: resolve(e.LOCAL_DATA_DIR, 'exports'),
      // Local mode keeps everything under the data dir; a deployment uses the machine's temp folder (never bot state).
      pendingDir: localMode ? resolve(e.LOCAL_DATA_DIR, 'exports-pending') : join(tmpdir(), 'access-review-bot-exports'),
    },
    telemetry: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, ''), headers: otlpHeaders(e.OTEL_EXPORTER_OTLP_HEADERS), serviceName: e.OTEL_SERVICE_NAME },
  };
  return deepFreeze(config);
}

type Given = Record<string, string | undefined>;

/** OTEL_EXPORTER_OTLP_HEADERS as the OpenTelemetry specification writes it: `key1=value1,key2=value2`, values URL-encoded. */
function otlpHeaders(value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  return Object.fromEntries(value.split(',').flatMap((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) return [];
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    let decoded = raw;
    try { decoded = decodeURIComponent(raw); } catch { /* kept as given */ }
    return key === '' ? [] : [[key, decoded]];
  }));
}

/** The Bot Framework token service's hosts (learn.microsoft.com/azure/bot-service/ref-oauth-redirect-urls). */
export const TOKEN_SERVICE_HOSTS: readonly string[] = [
  'token.botframework.com', 'europe.token.botframework.com', 'unitedstates.token.botframework.com', 'india.token.botframework.com',
  'token.botframework.azure.us', 'token.botframework.azure.cn',
];

/** Keys a real-tenant configuration cannot do without (checked on the raw values, so they are reported with invalid ones). */
function missingKeys(given: Given): string[] {
  if (given.MicrosoftAppId === undefined) return [];
  const missing: string[] = [];
  const certificate = given.AAD_CLIENT_CERTIFICATE_PATH !== undefined;
  if (given.AAD_CLIENT_SECRET === undefined && given.MicrosoftAppPassword === undefined && !certificate) {
    missing.push('AAD_CLIENT_SECRET (or MicrosoftAppPassword or AAD_CLIENT_CERTIFICATE_PATH)');
  }
  if (given.AAD_TENANT_ID === undefined && given.MicrosoftAppTenantId === undefined) missing.push('AAD_TENANT_ID (or MicrosoftAppTenantId)');
  // Bot Framework's own channel authentication needs a credential of the bot's app: its password, or the
  // certificate when the Entra app is that same app (an Entra secret of another app cannot stand in).
  if (given.MicrosoftAppPassword === undefined && given.MicrosoftAppType !== 'UserAssignedMSI' && !botUsesCertificate(given)) {
    missing.push(certificate ? 'MicrosoftAppPassword (AAD_CLIENT_CERTIFICATE_PATH is for AAD_CLIENT_ID, another app)' : 'MicrosoftAppPassword');
  }
  // The sign-in pages' links: a loopback default would send real users nowhere.
  if (given.PUBLIC_BASE_URL === undefined) missing.push('PUBLIC_BASE_URL');
  return missing;
}

/**
 * Whether Bot Framework authenticates with the certificate too: only when it belongs to the bot's own app (no
 * AAD_CLIENT_ID of another app) and the bot is not a managed identity. It is then preferred over MicrosoftAppPassword.
 */
function botUsesCertificate(given: Given): boolean {
  return given.AAD_CLIENT_CERTIFICATE_PATH !== undefined && given.MicrosoftAppId !== undefined && given.MicrosoftAppType !== 'UserAssignedMSI' &&
    (given.AAD_CLIENT_ID === undefined || given.AAD_CLIENT_ID.toLowerCase() === given.MicrosoftAppId.toLowerCase());
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_PRIVATE_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;
const hex = (fingerprint: string): string => fingerprint.replace(/:/g, '').toUpperCase();

/**
 * Reads AAD_CLIENT_CERTIFICATE_PATH: one PEM file with the private key and its certificate (intermediates may
 * follow). The certificate, or what is wrong with it (never the file's content). Entra ID signs client assertions
 * with RSA only, and refuses an expired certificate, so both are checked here rather than at the first token.
 */
function readClientCertificate(path: string, clock: Clock): ClientCertificate | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `the file ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const keyPem = PEM_PRIVATE_KEY.exec(text)?.[0];
  const certPems = text.match(PEM_CERTIFICATE) ?? [];
  if (keyPem === undefined) return `no private key in ${path} (expected one PEM file with "-----BEGIN PRIVATE KEY-----" and the certificate)`;
  if (certPems.length === 0) return `no certificate in ${path} (expected one PEM file with the private key and "-----BEGIN CERTIFICATE-----")`;
  let key: ReturnType<typeof createPrivateKey>;
  let certs: X509Certificate[];
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return `the private key in ${path} could not be read (a passphrase-protected key is not supported: export it without one and protect the file instead)`;
  }
  try {
    certs = certPems.map((pem) => new X509Certificate(pem));
  } catch {
    return `a certificate in ${path} could not be read`;
  }
  if (key.asymmetricKeyType !== 'rsa') return `the key in ${path} is ${key.asymmetricKeyType ?? 'of an unknown type'}; Entra ID needs an RSA key`;
  const leafIndex = certs.findIndex((c) => c.checkPrivateKey(key));
  const leaf = certs[leafIndex];
  if (leaf === undefined) return `the private key in ${path} does not belong to its certificate`;
  const now = clock.now();
  if (Date.parse(leaf.validTo) <= now) return `the certificate in ${path} expired on ${new Date(leaf.validTo).toISOString()}: upload a new one to the app registration and point this key at it`;
  if (Date.parse(leaf.validFrom) > now) return `the certificate in ${path} is not valid before ${new Date(leaf.validFrom).toISOString()}`;
  const chain = [certPems[leafIndex] ?? '', ...certPems.filter((_pem, i) => i !== leafIndex)];
  return {
    path, thumbprintSha256: hex(leaf.fingerprint256), thumbprintSha1: hex(leaf.fingerprint),
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(), x5c: chain.join('\n'),
    subject: leaf.subject.replace(/\n/g, ', '), notAfter: new Date(leaf.validTo).toISOString(),
  };
}

/** The URL if `value` is an http(s) URL, else undefined (the schema reports it). */
function httpUrl(value: string): URL | undefined {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Local mode has no Bot Framework authentication, so anyone who can reach it is "any user": loopback only. */
function localProblems(given: Given): string[] {
  const problems = given.SSO_MODE === 'connection' && given.SSO_TOKEN_SERVICE_URL === undefined
    ? ['SSO_MODE: "connection" needs the Bot Framework token service, which has no local stand-in for `npm start`; use local (or leave it empty), or set SSO_TOKEN_SERVICE_URL to a test\'s token service']
    : [];
  const host = given.HOST?.toLowerCase();
  if (host === undefined || host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) return problems;
  return [...problems, 'HOST: local mode (no MicrosoftAppId) serves only this machine, so it listens on loopback only (127.0.0.1, ::1 or localhost); ' +
    'set MicrosoftAppId to run for real'];
}

/**
 * With an app id the bot faces real users: none of the local tenant's keys, https only, Graph and Entra ID at
 * Microsoft's hosts only. Checked on the raw values; values are never echoed (a URL may carry credentials).
 */
function productionProblems(given: Given): string[] {
  const problems: string[] = [];
  if (given.SSO_MODE === 'local') problems.push('SSO_MODE: "local" is the local tenant\'s sign-in; with MicrosoftAppId use teams (or leave it empty)');
  if (given.FILE_DELIVERY === 'local') problems.push('FILE_DELIVERY: "local" writes exports on the bot\'s own disk; with MicrosoftAppId use teams (or leave it empty)');
  for (const key of LOCAL_TENANT_KEYS) {
    if (given[key] !== undefined) problems.push(`${key}: points at the local tenant; not allowed with MicrosoftAppId (leave it empty)`);
  }
  for (const [key, hosts] of [['GRAPH_BASE_URL', GRAPH_HOSTS], ['AAD_AUTHORITY_HOST', LOGIN_HOSTS], ['SSO_TOKEN_SERVICE_URL', TOKEN_SERVICE_HOSTS]] as const) {
    const value = given[key] === undefined ? undefined : httpUrl(given[key]);
    if (value === undefined) continue; // unset (the default is Microsoft's) or not a URL (reported by the schema)
    // No port, credentials, path, query or fragment: serialised, the URL is exactly its host's https root.
    const bare = value.href === `https://${value.hostname}/`;
    if (!bare || !hosts.includes(value.hostname)) {
      problems.push(`${key}: with MicrosoftAppId it must be https://<host> and nothing more, <host> one of ${hosts.join(', ')}`);
    }
  }
  const base = given.PUBLIC_BASE_URL === undefined ? undefined : httpUrl(given.PUBLIC_BASE_URL);
  if (base && (base.protocol !== 'https:' || base.href !== `${base.origin}${base.pathname}`)) {
    problems.push('PUBLIC_BASE_URL: with MicrosoftAppId it must be the bot\'s public https:// address, without credentials, query or fragment');
  }
  return problems;
}

const deepFreeze = <T extends object>(value: T): Readonly<T> => {
  for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) deepFreeze(item as object);
  return Object.freeze(value);
};

/** Which credential an app uses, for the logs: the certificate's thumbprint and expiry, never a secret or key. */
export function credentialSummary(certificate: ClientCertificate | undefined): string {
  return certificate ? `certificate ${certificate.thumbprintSha256} (SHA-256), expires ${certificate.notAfter}` : 'secret';
}

/** What start-up logs: the settings with every secret removed. */
export function redactedSummary(config: AppConfig): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    localMode: config.localMode,
    botAppId: config.bot.appId || '(none: Bot Framework authentication disabled)',
    botAppType: config.bot.appType,
    aad: {
      clientId: config.aad.clientId, tenantId: config.aad.tenantId, authority: config.aad.authority,
      credential: credentialSummary(config.aad.certificate),
    },
    botCredential: config.bot.appId === '' ? '(none)' : config.bot.certificate ? credentialSummary(config.bot.certificate)
      : config.bot.appType === 'UserAssignedMSI' ? 'managed identity' : 'secret (MicrosoftAppPassword)',
    sso: config.sso,
    graphBaseUrl: config.graphBaseUrl,
    publicBaseUrl: config.publicBaseUrl,
    storage: config.storage.kind === 'blob' ? { kind: 'blob', container: config.storage.container } : config.storage,
    telemetry: config.telemetry.endpoint === undefined ? '(off)'
      : { endpoint: config.telemetry.endpoint, serviceName: config.telemetry.serviceName, headers: Object.keys(config.telemetry.headers) },
  };
}
