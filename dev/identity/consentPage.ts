import type { Tenant } from '../tenant/tenant';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Redirects only back to this machine: the local provider must never become an open redirector. */
export function isLocalRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (url.protocol === 'http:' || url.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** The authorize endpoint's page: what Entra's consent prompt would ask, with Accept and Cancel. */
export function consentPage(tenant: Tenant, query: URLSearchParams, action: string): string {
  const app = tenant.apps.find((a) => a.appId === query.get('client_id'));
  const hint = query.get('login_hint') ?? '';
  const options = tenant.users.filter((u) => u.userType === 'Member' && !u.id.startsWith('cccccccc'))
    .map((u) => `<option value="${escape(u.id)}"${u.userPrincipalName === hint || u.id === hint ? ' selected' : ''}>${escape(u.displayName)} (${escape(u.userPrincipalName)})</option>`)
    .join('');
  const hidden = ['client_id', 'redirect_uri', 'state'].map((name) => `<input type="hidden" name="${name}" value="${escape(query.get(name) ?? '')}">`).join('');
  const scopes = (query.get('scope') ?? '').split(/\s+/).filter(Boolean).map((s) => `<li>${escape(s)}</li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Permissions requested</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto">
<h1>Permissions requested</h1>
<p><b>${escape(app?.displayName ?? 'Unknown application')}</b> (local identity provider, tenant ${escape(tenant.domain)}) wants to act as you:</p>
<ul>${scopes}</ul>
<form method="post" action="${escape(action)}">${hidden}
<label>Signed in as <select name="user">${options}</select></label>
<p><button name="decision" value="accept">Accept</button> <button name="decision" value="cancel">Cancel</button></p>
</form></body></html>`;
}
