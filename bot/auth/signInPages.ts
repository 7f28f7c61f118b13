import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config';
import { GRAPH_DELEGATED_SCOPES } from './tokenProvider';

const TEAMS_JS = 'https://res.cdn.office.net/teams-js/2.34.0/js/MicrosoftTeams.min.js';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

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
    url.searchParams.set('scope', [...GRAPH_DELEGATED_SCOPES, 'openid', 'profile'].join(' '));
    url.searchParams.set('state', randomUUID());
    if (loginHint) url.searchParams.set('login_hint', loginHint);
    return url.href;
  }

  endPage(error: string | undefined): string {
    const call = error === undefined
      ? 'microsoftTeams.authentication.notifySuccess();'
      : `microsoftTeams.authentication.notifyFailure(${JSON.stringify(error.slice(0, 100))});`;
    return `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in</title><script src="${TEAMS_JS}"></script></head>
<body><p>${error === undefined ? 'Signed in. You can close this window.' : `Sign-in failed: ${escapeHtml(error.slice(0, 100))}`}</p>
<script>if (window.microsoftTeams) { microsoftTeams.app.initialize().then(function () { ${call} }); }</script></body></html>`;
  }
}
