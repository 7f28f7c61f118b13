import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config';
import { newNonce, pagePolicy } from '../http/securityHeaders';
import { graphScopes } from './tokenProvider';

const TEAMS_JS_ORIGIN = 'https://res.cdn.office.net';
const TEAMS_JS = `${TEAMS_JS_ORIGIN}/teams-js/2.34.0/js/MicrosoftTeams.min.js`;

/**
 * What the end page says for the OAuth `error` it is given. The caller's text never reaches the page (it was
 * once reflected into an inline script): only these fixed codes and messages do, anything unknown is `other`.
 */
const OUTCOMES = {
  access_denied: { code: 'access_denied', message: 'Sign-in was cancelled. You can close this window and try again.' },
  consent_required: { code: 'consent_required', message: 'Sign-in needs consent to the app first. You can close this window and try again.' },
  interaction_required: { code: 'interaction_required', message: 'Please sign in again. You can close this window and try again.' },
  other: { code: 'sign_in_failed', message: 'Sign-in did not finish. You can close this window and try again.' },
} as const;

const outcomeOf = (error: string): { code: string; message: string } =>
  error === 'access_denied' || error === 'consent_required' || error === 'interaction_required' ? OUTCOMES[error] : OUTCOMES.other;

/** A page and the Content-Security-Policy it must be sent with (its scripts run by this response's nonce). */
export interface Page { html: string; contentSecurityPolicy: string }

/**
 * The consent pages behind the OAuthCard's Sign in button (the fallback when silent SSO fails, e.g. consent
 * missing): /auth/start sends the user to the authorize endpoint with the bot's scopes; /auth/end tells Teams
 * the pop-up is done, and Teams then sends `signin/verifyState`. The code is never redeemed: only the consent
 * matters, the token still comes from SSO + on-behalf-of.
 */
export class SignInPages {
  constructor(private readonly config: AppConfig, private readonly authorizeEndpoint: string) {}

  authorizeUrl(loginHint: string | undefined): string {
    const url = new URL(this.authorizeEndpoint);
    url.searchParams.set('client_id', this.config.aad.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('response_mode', 'query');
    url.searchParams.set('redirect_uri', `${this.config.publicBaseUrl}/auth/end`);
    url.searchParams.set('scope', [...graphScopes(this.config).delegated, 'openid', 'profile'].join(' '));
    url.searchParams.set('state', randomUUID());
    if (loginHint) url.searchParams.set('login_hint', loginHint);
    return url.href;
  }

  endPage(error: string | undefined): Page {
    const nonce = newNonce();
    const outcome = error === undefined ? undefined : outcomeOf(error);
    const call = outcome === undefined
      ? 'microsoftTeams.authentication.notifySuccess();'
      : `microsoftTeams.authentication.notifyFailure('${outcome.code}');`;
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in</title><script nonce="${nonce}" src="${TEAMS_JS}"></script></head>
<body><p>${outcome === undefined ? 'Signed in. You can close this window.' : outcome.message}</p>
<script nonce="${nonce}">if (window.microsoftTeams) { microsoftTeams.app.initialize().then(function () { ${call} }); }</script></body></html>`;
    return { html, contentSecurityPolicy: pagePolicy(nonce, [TEAMS_JS_ORIGIN]) };
  }
}
