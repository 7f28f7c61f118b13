import { randomUUID } from 'node:crypto';
import {
  ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory,
  INVOKE_RESPONSE_KEY, type Activity, type BotState, type InvokeResponse, type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { credentialSummary, type AppConfig } from './config';
import { appErrorIn } from './errors';
import type { Logger } from './logger';
import type { Telemetry } from './telemetry';

/**
 * Where channel tokens are checked instead of Bot Framework's own OpenID configuration. Never from configuration:
 * only a test entry point (test/support/productionModeBot.ts, not part of the build) passes one, so the tests
 * can sign channel tokens on 127.0.0.1.
 */
export interface ChannelAuthOverride {
  openIdMetadataUrl: string;
  tokenIssuer: string;
}

/**
 * Who mints the bot's own tokens for its calls to the Bot Connector, instead of Entra ID from the app id and
 * password. Never from configuration: only a test entry point passes one (test/support/productionModeBot.ts:
 * tokens from the local identity provider, so a turn with authentication on completes offline).
 */
export type ConnectorCredentialsOverride = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;

/**
 * CloudAdapter whose inbound path the bot's HTTP layer drives itself. CloudAdapter.process prints every refused
 * channel token's error (stack included) with console.error, beside the logger; {@link processInbound} throws it
 * instead (an AuthenticationError, statusCode 401), so answerActivity logs one structured line.
 */
export class ChannelAdapter extends CloudAdapter {
  /** Authenticates the activity (the Authorization header) and runs the turn; the invoke response, if any. */
  processInbound(authHeader: string, activity: Activity, logic: (turn: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * The settings botbuilder's configuration classes read. With the Entra app's certificate (config.bot.certificate:
 * the bot's own app) ConfigurationServiceClientCredentialFactory builds botframework-connector's
 * CertificateServiceClientCredentialsFactory (SHA-1 thumbprint + PEM key) instead of the password one; the
 * password is then not passed at all.
 */
export function botFrameworkSettings(config: AppConfig, channelAuth?: ChannelAuthOverride): Record<string, string> {
  const certificate = config.bot.certificate;
  return {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: certificate ? '' : config.bot.appPassword ?? '',
    // Without an app id authentication is off; SingleTenant would insist on one.
    MicrosoftAppType: config.bot.appId === '' ? 'MultiTenant' : config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
    ...(certificate ? { CertificateThumbprint: certificate.thumbprintSha1, CertificatePrivateKey: certificate.privateKey } : {}),
    // SSO_MODE=connection: the token service the turn's UserTokenClient talks to (regional, or a test's).
    ...(config.sso.mode === 'connection' ? { OAuthUrl: config.sso.tokenServiceUrl } : {}),
    ...(channelAuth ? { ToBotFromChannelOpenIdMetadataUrl: channelAuth.openIdMetadataUrl, ToBotFromChannelTokenIssuer: channelAuth.tokenIssuer } : {}),
  };
}

/**
 * Local mode with SSO_MODE=connection (tests against a token service on 127.0.0.1): turns are anonymous there (no app
 * id, authentication off), so their UserTokenClient would name no app, and botbuilder refuses to build the token
 * service's sign-in state without one; it is told the local Entra app's id instead. Credentials stay empty.
 */
class LocalTokenServiceAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(settings: Record<string, string>, credentials: ConnectorCredentialsOverride, private readonly appId: string) {
    super(settings, credentials);
  }

  override createUserTokenClient(identity: ClaimsIdentity): ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']> {
    return super.createUserTokenClient(new ClaimsIdentity([...identity.claims, { type: AuthenticationConstants.AppIdClaim, value: this.appId }], identity.isAuthenticated));
  }
}

/**
 * CloudAdapter with Bot Framework authentication from configuration: every inbound activity's JWT is
 * validated when an app id is configured; with none (local mode) authentication is off, as for the Playground.
 */
export function createAdapter(config: AppConfig, dialogStates: BotState, log: Logger,
  options: { channelAuth?: ChannelAuthOverride; connectorCredentials?: ConnectorCredentialsOverride; telemetry?: Pick<Telemetry, 'failActiveSpan'> } = {}): ChannelAdapter {
  const { channelAuth, connectorCredentials } = options;
  const settings = botFrameworkSettings(config, channelAuth);
  if (config.bot.appId !== '') {
    const credential = config.bot.appType === 'UserAssignedMSI' ? 'managed identity' : config.bot.certificate ? credentialSummary(config.bot.certificate) : 'secret';
    log.info({ appId: config.bot.appId, credential }, 'Bot Framework credential');
  }
  const credentials = connectorCredentials ?? new ConfigurationServiceClientCredentialFactory(settings);
  const authentication = config.localMode && config.sso.mode === 'connection'
    ? new LocalTokenServiceAuthentication(settings, credentials, config.aad.clientId)
    : new ConfigurationBotFrameworkAuthentication(settings, credentials);
  const adapter = new ChannelAdapter(authentication);
  adapter.onTurnError = turnErrorHandler(dialogStates, log, options.telemetry);
  return adapter;
}

/**
 * The last-resort handler: logs the error code and the activity's ids (never its text or value), apologises
 * with a correlation id (500 for an invoke), and deletes the sender's dialog state in this conversation so a broken
 * dialog cannot stick.
 */
export function turnErrorHandler(dialogStates: BotState, log: Logger, telemetry?: Pick<Telemetry, 'failActiveSpan'>): (turn: TurnContext, error: Error) => Promise<void> {
  return async (turn: TurnContext, error: Error): Promise<void> => {
    const correlationId = randomUUID().slice(0, 8);
    const code = appErrorIn(error)?.code ?? 'Internal';
    // The turn span (bot/telemetry): failed, although the answer below is an apology with status 200.
    telemetry?.failActiveSpan(code);
    log.error({
      err: error, code, correlationId, activityId: turn.activity.id,
      activityType: turn.activity.type, activityName: turn.activity.name, conversationId: turn.activity.conversation?.id,
    }, 'turn failed');
    try {
      if (turn.activity.type === 'invoke') {
        if (!turn.turnState.get(INVOKE_RESPONSE_KEY)) {
          await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 500, body: { correlationId } } });
        }
      } else if (turn.activity.type === 'message') {
        await turn.sendActivity(`Sorry, something went wrong on my side (correlation id ${correlationId}). ` +
          'I have reset our conversation, so please try again.');
      }
      // A failed turn may have left a broken dialog stack: start the conversation afresh.
      await dialogStates.delete(turn);
    } catch (secondary) {
      log.error({ err: secondary, correlationId }, 'could not report the failed turn');
    }
  };
}
