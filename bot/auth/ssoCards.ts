import { CardFactory, type AdaptiveCardInvokeResponse, type Attachment, type TokenExchangeResource, type TokenPostResource } from 'botbuilder';
import type { AppConfig } from '../config';

/** The sign-in page the OAuthCard's button opens when silent SSO cannot finish (consent, conditional access). */
export function signInUrl(config: AppConfig, loginHint: string | undefined): string {
  const url = new URL('/auth/start', config.publicBaseUrl);
  if (loginHint) url.searchParams.set('loginHint', loginHint);
  return url.href;
}

/** The token service's sign-in link and exchange resources (SSO_MODE=connection), from its getSignInResource. */
export interface ConnectionSignIn {
  signInLink: string;
  tokenExchangeResource: TokenExchangeResource;
  tokenPostResource?: TokenPostResource;
}

/**
 * The OAuthCard Teams turns into a silent token request: `tokenExchangeResource.id` names this request
 * (Teams echoes it in `signin/tokenExchange`) and `uri` is the bot's Application ID URI. `connection`: the token
 * service's link and resources instead of the bot's own (SSO_MODE=connection).
 */
export function oauthCard(config: AppConfig, exchangeId: string, loginHint: string | undefined, connection?: ConnectionSignIn): Attachment {
  return CardFactory.oauthCard(config.sso.connectionName, 'Sign in', 'Sign in to use Microsoft Entra access reviews as yourself.',
    connection?.signInLink ?? signInUrl(config, loginHint), connection?.tokenExchangeResource ?? { id: exchangeId, uri: config.sso.appIdUri, providerId: '' },
    connection?.tokenPostResource);
}

/**
 * Universal Actions SSO: the 401 answer to an Action.Execute that needs the user's token (Teams then signs in silently
 * and retries). `connection`: the token service's sign-in link and exchange resource (SSO_MODE=connection).
 */
export function loginRequest(config: AppConfig, exchangeId: string, loginHint: string | undefined, connection?: ConnectionSignIn): AdaptiveCardInvokeResponse {
  return {
    statusCode: 401,
    type: 'application/vnd.microsoft.activity.loginRequest',
    value: {
      text: 'Sign in to continue',
      connectionName: config.sso.connectionName,
      tokenExchangeResource: connection?.tokenExchangeResource ?? { id: exchangeId, uri: config.sso.appIdUri, providerId: '' },
      buttons: [{ type: 'signin', title: 'Sign in', value: connection?.signInLink ?? signInUrl(config, loginHint) }],
    },
  };
}
