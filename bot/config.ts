import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors';

/** Values of the local tenant (spec/local-tenant.md) used when no Teams app id is configured. */
const LOCAL = {
  tenantId: '11111111-1111-4111-8111-111111111111',
  clientId: '22222222-2222-4222-8222-222222222222',
  clientSecret: 'local-bot-secret',
  authorityHost: 'https://login.contoso.local',
} as const;

const optional = z.string().trim().optional().transform((v) => (v === '' ? undefined : v));
const url = z.string().trim().url();

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
  AAD_TENANT_ID: optional,
  AAD_AUTHORITY_HOST: optional.pipe(url.optional()),
  AAD_METADATA_URL: optional.pipe(url.optional()),
  SSO_MODE: z.enum(['teams', 'local']).optional(),
  SSO_APP_ID_URI: optional,
  SSO_CONNECTION_NAME: z.string().default('GraphSso'),
  LOCAL_SSO_TOKEN_URL: optional.pipe(url.optional()),
  GRAPH_BASE_URL: optional.pipe(url.optional()),
  PUBLIC_BASE_URL: optional.pipe(url.optional()),
  STORAGE_CONNECTION_STRING: optional,
  STORAGE_CONTAINER: z.string().default('access-review-bot'),
  LOCAL_DATA_DIR: z.string().default('.local'),
  LOCAL_IDP_PORT: z.coerce.number().int().default(3981),
  LOCAL_GRAPH_PORT: z.coerce.number().int().default(3982),
  BOT_OPENID_METADATA_URL: optional.pipe(url.optional()),
  BOT_TOKEN_ISSUER: optional,
});

/** Every environment key the bot reads (documented one by one in .env.sample). */
export const CONFIG_KEYS: readonly string[] = Object.keys(Schema.shape);

export interface AppConfig {
  port: number;
  /** Listen address: loopback in local mode, all interfaces otherwise (containers). */
  host: string;
  logLevel: string;
  /** No Teams app id: Bot Framework authentication off, local tenant defaults. */
  localMode: boolean;
  bot: { appId: string; appPassword: string | undefined; tenantId: string | undefined; appType: string;
    /** Test-only overrides of where channel tokens come from (a local issuer instead of Bot Framework's). */
    openIdMetadataUrl: string | undefined; tokenIssuer: string | undefined };
  /** The Entra app the bot exchanges tokens as (on-behalf-of and client credentials). */
  aad: { clientId: string; clientSecret: string; tenantId: string; authority: string; metadataUrl: string | undefined };
  sso: { mode: 'teams' | 'local'; appIdUri: string; connectionName: string; localTokenUrl: string };
  graphBaseUrl: string;
  publicBaseUrl: string;
  storage: { kind: 'sqlite'; file: string } | { kind: 'blob'; connectionString: string; container: string };
}

/**
 * Reads and validates every setting once (the only reader of process.env). Names every missing or invalid
 * key in a single error. Without MicrosoftAppId the bot runs in local mode against the local tenant.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AppConfig> {
  // An empty value (KEY= in .env) means "not set", so the default applies.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = Schema.safeParse(given);
  const invalid = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const missing = missingKeys(given);
  if (!parsed.success || missing.length > 0) {
    const parts = [missing.length > 0 ? `Missing configuration: ${missing.join(', ')}` : '', invalid.length > 0 ? `Invalid configuration: ${invalid.join('; ')}` : ''];
    throw new AppError('ConfigInvalid', parts.filter(Boolean).join('. '));
  }
  const e = parsed.data;
  const localMode = e.MicrosoftAppId === undefined;
  const clientId = e.AAD_CLIENT_ID ?? e.MicrosoftAppId ?? LOCAL.clientId;
  const clientSecret = e.AAD_CLIENT_SECRET ?? e.MicrosoftAppPassword ?? LOCAL.clientSecret;
  const tenantId = e.AAD_TENANT_ID ?? e.MicrosoftAppTenantId ?? LOCAL.tenantId;
  const local = (port: number, path: string): string => `http://127.0.0.1:${port}${path}`;
  const authorityHost = (e.AAD_AUTHORITY_HOST ?? (localMode ? LOCAL.authorityHost : 'https://login.microsoftonline.com')).replace(/\/$/, '');
  const config: AppConfig = {
    port: e.PORT,
    host: e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    logLevel: e.LOG_LEVEL,
    localMode,
    bot: { appId: e.MicrosoftAppId ?? '', appPassword: e.MicrosoftAppPassword, tenantId: e.MicrosoftAppTenantId, appType: e.MicrosoftAppType,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL, tokenIssuer: e.BOT_TOKEN_ISSUER },
    aad: {
      clientId, clientSecret, tenantId, authority: `${authorityHost}/${tenantId}`,
      metadataUrl: e.AAD_METADATA_URL ?? (localMode ? local(e.LOCAL_IDP_PORT, '/.well-known/openid-configuration') : undefined),
    },
    sso: {
      mode: e.SSO_MODE ?? (localMode ? 'local' : 'teams'),
      appIdUri: e.SSO_APP_ID_URI ?? `api://botid-${clientId}`,
      connectionName: e.SSO_CONNECTION_NAME,
      localTokenUrl: e.LOCAL_SSO_TOKEN_URL ?? local(e.LOCAL_IDP_PORT, '/dev/sso-token'),
    },
    graphBaseUrl: (e.GRAPH_BASE_URL ?? (localMode ? local(e.LOCAL_GRAPH_PORT, '') : 'https://graph.microsoft.com')).replace(/\/$/, ''),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ''),
    storage: e.STORAGE_CONNECTION_STRING
      ? { kind: 'blob', connectionString: e.STORAGE_CONNECTION_STRING, container: e.STORAGE_CONTAINER }
      : { kind: 'sqlite', file: resolve(e.LOCAL_DATA_DIR, 'bot', 'state.sqlite') },
  };
  return deepFreeze(config);
}

/** Keys a real-tenant configuration cannot do without (checked on the raw values, so they are reported with invalid ones). */
function missingKeys(given: Record<string, string | undefined>): string[] {
  if (given.MicrosoftAppId === undefined) return [];
  const missing: string[] = [];
  if (given.AAD_CLIENT_SECRET === undefined && given.MicrosoftAppPassword === undefined) missing.push('AAD_CLIENT_SECRET (or MicrosoftAppPassword)');
  if (given.AAD_TENANT_ID === undefined && given.MicrosoftAppTenantId === undefined) missing.push('AAD_TENANT_ID (or MicrosoftAppTenantId)');
  // Bot Framework's own channel authentication needs the password even when Entra calls use another secret.
  if (given.MicrosoftAppPassword === undefined && given.MicrosoftAppType !== 'UserAssignedMSI') missing.push('MicrosoftAppPassword');
  return missing;
}

const deepFreeze = <T extends object>(value: T): Readonly<T> => {
  for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) deepFreeze(item as object);
  return Object.freeze(value);
};

/** What start-up logs: the settings with every secret removed. */
export function redactedSummary(config: AppConfig): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    localMode: config.localMode,
    botAppId: config.bot.appId || '(none: Bot Framework authentication disabled)',
    botAppType: config.bot.appType,
    aad: { clientId: config.aad.clientId, tenantId: config.aad.tenantId, authority: config.aad.authority, clientSecret: '(set)' },
    sso: config.sso,
    graphBaseUrl: config.graphBaseUrl,
    publicBaseUrl: config.publicBaseUrl,
    storage: config.storage.kind === 'blob' ? { kind: 'blob', container: config.storage.container } : config.storage,
  };
}
