import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { OAuth2Server } from 'oauth2-mock-server';
import { keysFromJwks } from '../shared/jwt';
import { BOT_APP_ID, TEAMS_CLIENT_ID, type Tenant } from '../tenant/tenant';
import { consentPage, isLocalRedirect } from './consentPage';
import { handleTokenRequest, type TokenContext } from './tokens';

export interface IdentityProviderOptions {
  host: string;
  port: number;
  tenant: Tenant;
  /** Where the signing key and later consents persist (`.local/identity`). */
  dataDir: string;
  log: Logger;
}

export interface RunningIdentityProvider {
  /** `http://127.0.0.1:<port>`: where the endpoints really are. */
  url: string;
  /** The https placeholder authority msal-node is configured with (`https://login.contoso.local/<tenant>`). */
  authority: string;
  /** The `iss` of every token: `<authority>/v2.0`. */
  issuer: string;
  /** The OpenID configuration as a JSON string, for msal-node's `authorityMetadata`. */
  authorityMetadata: string;
  close(): Promise<void>;
}

export const AUTHORITY_HOST = 'login.contoso.local';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** Loads the persisted signing key (tokens stay valid across restarts) or makes and saves a new one. */
async function loadKeys(server: OAuth2Server, file: string): Promise<void> {
  if (existsSync(file)) {
    for (const key of JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>) await server.issuer.keys.add(key);
    return;
  }
  await server.issuer.keys.generate('RS256');
  writeFileSync(file, JSON.stringify(server.issuer.keys.toJSON(true)), { mode: 0o600 });
}

/**
 * The local stand-in for Microsoft Entra ID, on oauth2-mock-server (keys, signing, JWKS): the OBO and
 * client-credentials grants with Entra's checks and errors, and `POST /dev/sso-token` for the token Teams
 * would hand the bot. Endpoints are plain http on 127.0.0.1; tokens name an https placeholder issuer.
 */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  const { OAuth2Server: Server } = await import('oauth2-mock-server');
  const mock = new Server();
  mkdirSync(options.dataDir, { recursive: true });
  await loadKeys(mock, join(options.dataDir, 'signing-keys.json'));
  const { tenantId } = options.tenant;
  const authority = `https://${AUTHORITY_HOST}/${tenantId}`;
  const issuer = `${authority}/v2.0`;
  mock.issuer.url = issuer;
  const consentFile = join(options.dataDir, 'consents.json');
  const consents = new Set<string>(existsSync(consentFile) ? JSON.parse(readFileSync(consentFile, 'utf8')) as string[] : []);
  const recordConsent = (userId: string): void => {
    consents.add(userId);
    writeFileSync(consentFile, JSON.stringify([...consents]));
  };

  // Certificates uploaded per app (Entra's "Certificates & secrets › Upload certificate"), persisted like consents.
  const certificateFile = join(options.dataDir, 'app-certificates.json');
  const certificatePems: Record<string, string[]> = existsSync(certificateFile) ? JSON.parse(readFileSync(certificateFile, 'utf8')) as Record<string, string[]> : {};
  const certificates = new Map(Object.entries(certificatePems).map(([appId, pems]) => [appId, pems.map((pem) => new X509Certificate(pem))]));
  const uploadCertificate = (appId: string, certificate: X509Certificate): void => {
    const list = certificates.get(appId) ?? [];
    if (list.some((c) => c.fingerprint256 === certificate.fingerprint256)) return;
    certificates.set(appId, [...list, certificate]);
    certificatePems[appId] = [...(certificatePems[appId] ?? []), certificate.toString()];
    writeFileSync(certificateFile, JSON.stringify(certificatePems));
  };

  let url = '';
  const metadata = (): Record<string, unknown> => ({
    issuer,
    authorization_endpoint: `${url}/${tenantId}/oauth2/v2.0/authorize`,
    token_endpoint: `${url}/${tenantId}/oauth2/v2.0/token`,
    end_session_endpoint: `${url}/${tenantId}/oauth2/v2.0/logout`,
    jwks_uri: `${url}/jwks`,
    response_types_supported: ['code', 'id_token', 'token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
  });
  const context: TokenContext = {
    tenant: options.tenant,
    issuer,
    keys: () => keysFromJwks({ keys: mock.issuer.keys.toJSON() }),
    sign: (claims, expiresIn) => mock.issuer.buildToken({ expiresIn, scopesOrTransform: (_header, payload) => Object.assign(payload, claims) }),
    hasConsented: (userId) => consents.has(userId),
    certificates: (appId) => certificates.get(appId) ?? [],
    tokenAudiences: () => [`${url}/${tenantId}/oauth2/v2.0/token`, `${url}/token`, `${authority}/oauth2/v2.0/token`],
  };

  const findUser = (key: string): Tenant['users'][number] | undefined =>
    options.tenant.users.find((u) => u.id === key.toLowerCase() || u.userPrincipalName.toLowerCase() === key.toLowerCase());

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    if (method === 'GET' && (path === '/.well-known/openid-configuration' || path === `/${tenantId}/v2.0/.well-known/openid-configuration`)) {
      json(response, 200, metadata());
    } else if (method === 'POST' && (path === '/token' || path === `/${tenantId}/oauth2/v2.0/token`)) {
      const result = await handleTokenRequest(context, new URLSearchParams(await readBody(request)), request.headers.authorization);
      if (result.status !== 200) options.log.info({ status: result.status, error: result.body.error }, 'identity provider: token request refused');
      json(response, result.status, result.body);
    } else if (method === 'POST' && (path === '/dev/sso-token' || path === '/dev/consent')) {
      let body: { user?: unknown; expiresInSeconds?: unknown };
      try {
        body = JSON.parse(await readBody(request)) as typeof body;
      } catch {
        json(response, 400, { error: 'invalid_request', error_description: 'Expected JSON {"user": "<object id or userPrincipalName>"}.' });
        return;
      }
      const user = typeof body.user === 'string' ? findUser(body.user) : undefined;
      if (!user) {
        json(response, 404, { error: 'user_not_found', error_description: `No user '${String(body.user)}' in the local tenant.` });
      } else if (path === '/dev/consent') {
        recordConsent(user.id);
        json(response, 200, { user: user.id, consented: true });
      } else {
        const expiresIn = typeof body.expiresInSeconds === 'number' ? body.expiresInSeconds : 3600;
        const token = await context.sign({
          aud: `api://botid-${BOT_APP_ID}`, tid: tenantId, oid: user.id, sub: user.id, scp: 'access_as_user',
          preferred_username: user.userPrincipalName, name: user.displayName, azp: TEAMS_CLIENT_ID, ver: '2.0',
        }, expiresIn);
        json(response, 200, { token });
      }
    } else if (method === 'POST' && path === '/dev/app-certificate') {
      uploadCertificateRequest(await readBody(request), response);
    } else if (path === `/${tenantId}/oauth2/v2.0/authorize` && (method === 'GET' || method === 'POST')) {
      authorize(method, new URLSearchParams(method === 'GET' ? (request.url ?? '').split('?')[1] ?? '' : await readBody(request)), response);
    } else {
      mock.service.requestHandler(request, response);
    }
  };

  /** `POST /dev/app-certificate {"appId", "certificate": "<PEM>"}`: uploads a certificate (public part only) to an app. */
  const uploadCertificateRequest = (text: string, response: ServerResponse): void => {
    let body: { appId?: unknown; certificate?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      json(response, 400, { error: 'invalid_request', error_description: 'Expected JSON {"appId": "<app id>", "certificate": "<PEM>"}.' });
      return;
    }
    const app = options.tenant.apps.find((a) => a.appId === body.appId);
    let certificate: X509Certificate | undefined;
    try {
      certificate = typeof body.certificate === 'string' ? new X509Certificate(body.certificate) : undefined;
    } catch {
      certificate = undefined;
    }
    if (!app || !certificate) {
      json(response, 400, { error: 'invalid_request', error_description: 'Unknown appId or not a PEM certificate.' });
      return;
    }
    uploadCertificate(app.appId, certificate);
    json(response, 200, { appId: app.appId, thumbprintSha256: certificate.fingerprint256.replace(/:/g, ''), certificates: certificates.get(app.appId)?.length ?? 0 });
  };

  /** The consent prompt behind the bot's sign-in button: GET shows it, POST records the consent and redirects back. */
  const authorize = (method: string, form: URLSearchParams, response: ServerResponse): void => {
    const redirect = form.get('redirect_uri') ?? '';
    if (!options.tenant.apps.some((a) => a.appId === form.get('client_id')) || !isLocalRedirect(redirect)) {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('Unknown client_id or a redirect_uri outside this machine.');
      return;
    }
    if (method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(consentPage(options.tenant, form, `/${tenantId}/oauth2/v2.0/authorize`));
      return;
    }
    const target = new URL(redirect);
    const user = findUser(form.get('user') ?? '');
    if (form.get('decision') === 'accept' && user) {
      recordConsent(user.id);
      target.searchParams.set('code', crypto.randomUUID());
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    target.searchParams.set('state', form.get('state') ?? '');
    response.writeHead(302, { location: target.href });
    response.end();
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log.error({ err: error }, 'identity provider: request failed');
      if (!response.headersSent) json(response, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  url = `http://${options.host}:${(server.address() as AddressInfo).port}`;
  return {
    url, authority, issuer,
    authorityMetadata: JSON.stringify(metadata()),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
