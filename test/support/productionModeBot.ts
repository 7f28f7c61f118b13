import { ConfidentialClientApplication } from '@azure/msal-node';
import type { ConnectorCredentialsOverride } from '../../bot/adapter';
import type { AppOverrides } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { runProcess, serve } from '../../bot/index';

/**
 * TEST entry point (not part of the build: tsconfig.build.json leaves test/ out): the production bot exactly as
 * `bot/index.ts` runs it — loadConfig() with the production rules (an app id, https, Microsoft's hosts) — except
 * for the two ends of Bot Framework authentication, which a test's network (127.0.0.1 only) cannot reach:
 * - inbound, channel tokens are checked against a local OpenID configuration (TEST_BOT_OPENID_METADATA_URL,
 *   TEST_BOT_TOKEN_ISSUER), so tests can sign them on 127.0.0.1;
 * - outbound, the bot's token for the Bot Connector comes from the local identity provider (client credentials
 *   of the bot app, through msal-node with the https placeholder authority TEST_BOT_CONNECTOR_AUTHORITY and its
 *   metadata TEST_BOT_CONNECTOR_AUTHORITY_METADATA) instead of login.microsoftonline.com.
 * Both reach the adapter through createApp's overrides, never through configuration: the production entry has no
 * key that could replace Bot Framework's trust root or the bot's credentials.
 */
function testKey(name: string): string {
  const value = process.env[name] ?? '';
  if (value === '') throw new Error(`productionModeBot needs ${name}`);
  return value;
}

type ConnectorCredentials = Awaited<ReturnType<ConnectorCredentialsOverride['createCredentials']>>;

/** The Bot Connector's resource, as Entra is asked for it; the local identity provider issues it too. */
const LOCAL_CONNECTOR_SCOPE = 'https://api.botframework.com/.default';
/** As botframework-connector's AppCredentials: a cached token is replaced 5 minutes before it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A ServiceClientCredentialsFactory (the interface CloudAdapter's ConfigurationBotFrameworkAuthentication takes)
 * whose credentials sign connector calls with a token of the bot app from the local identity provider. Like the
 * production factory it accepts only the bot's app id and says authentication is on; like botframework-connector's
 * AppCredentials it keeps one token per process and renews it shortly before expiry.
 */
function localConnectorCredentials(appId: string, appPassword: string, authority: string, authorityMetadata: string): ConnectorCredentialsOverride {
  const cca = new ConfidentialClientApplication({
    auth: { clientId: appId, clientSecret: appPassword, authority, knownAuthorities: [new URL(authority).host], authorityMetadata },
  });
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const acquire = async (): Promise<string> => {
    const result = await cca.acquireTokenByClientCredential({ scopes: [LOCAL_CONNECTOR_SCOPE] });
    if (!result?.accessToken) throw new Error('the local identity provider returned no token for the bot');
    const expiresAt = result.expiresOn?.getTime() ?? Date.now() + 3_600_000;
    cached = { token: result.accessToken, renewAt: expiresAt - REFRESH_MARGIN_MS };
    return result.accessToken;
  };
  const token = (): Promise<string> => {
    if (cached !== undefined && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
    pending ??= acquire().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  const credentials: ConnectorCredentials = {
    signRequest: async (request) => {
      request.headers.set('authorization', `Bearer ${await token()}`);
      return request;
    },
  };
  return {
    isValidAppId: (candidate: string) => Promise.resolve(candidate === appId),
    isAuthenticationDisabled: () => Promise.resolve(false),
    createCredentials: (candidate: string) =>
      candidate === appId ? Promise.resolve(credentials) : Promise.reject(new Error('Invalid appId.')),
  };
}

function overridesFromTestEnv(): AppOverrides {
  // The bot's own app id and password, as serve() will read them (loadConfig() only validates the environment).
  const { bot } = loadConfig();
  return {
    channelAuth: { openIdMetadataUrl: testKey('TEST_BOT_OPENID_METADATA_URL'), tokenIssuer: testKey('TEST_BOT_TOKEN_ISSUER') },
    connectorCredentials: localConnectorCredentials(bot.appId, bot.appPassword ?? '',
      testKey('TEST_BOT_CONNECTOR_AUTHORITY'), testKey('TEST_BOT_CONNECTOR_AUTHORITY_METADATA')),
  };
}

runProcess(async () => serve(overridesFromTestEnv()));
