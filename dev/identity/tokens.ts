import type { KeyObject, X509Certificate } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TokenInvalidError, verifyJwt, type TokenClaims } from '../shared/jwt';
import type { Tenant, TenantApp } from '../tenant/tenant';

const GRAPH = 'https://graph.microsoft.com';
/** The Bot Connector's resource: a bot calls it with a token for this audience (client credentials, no roles). */
const BOT_CONNECTOR = 'https://api.botframework.com';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_SECONDS = 3599;

export interface TokenContext {
  tenant: Tenant;
  issuer: string;
  keys(): Map<string, KeyObject>;
  sign(claims: Record<string, unknown>, expiresInSeconds: number): Promise<string>;
  hasConsented(userId: string): boolean;
  /** The certificates uploaded for an app (`POST /dev/app-certificate`): what a client assertion is checked against. */
  certificates(appId: string): readonly X509Certificate[];
  /** The token endpoint's URLs: a client assertion's `aud` must be one of them. */
  tokenAudiences(): readonly string[];
}

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

/** Entra's error answer: `error`, `error_description` with the AADSTS code, `error_codes`, optional `suberror`. */
function aadError(status: number, error: string, code: number, description: string, suberror?: string): TokenResult {
  return {
    status,
    body: {
      error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date().toISOString(),
      trace_id: crypto.randomUUID(), correlation_id: crypto.randomUUID(), ...(suberror ? { suberror } : {}),
    },
  };
}

/** base64url of a hex thumbprint (`x5t` / `x5t#S256` in a JWT header). */
const thumbprintClaim = (fingerprint: string): string => Buffer.from(fingerprint.replace(/:/g, ''), 'hex').toString('base64url');

/**
 * `private_key_jwt` (what msal-node sends for a certificate credential): a JWT signed with the certificate's key,
 * naming the certificate by `x5t#S256` (SHA-256; msal-node 3+) or `x5t` (SHA-1; msal-node 2, botbuilder's), with
 * `iss` = `sub` = the client id and `aud` = the token endpoint. Checked against the app's uploaded certificates,
 * with Entra's error codes: unknown certificate or bad signature AADSTS700027, outside its lifetime AADSTS700024.
 */
function assertedClient(context: TokenContext, form: URLSearchParams): TenantApp | TokenResult {
  const assertion = form.get('client_assertion') ?? '';
  const decoded = jwt.decode(assertion, { complete: true });
  const header = (decoded?.header ?? {}) as Record<string, unknown>;
  const payload = decoded && typeof decoded.payload === 'object' ? decoded.payload : {};
  const clientId = form.get('client_id') ?? (typeof payload.iss === 'string' ? payload.iss : '');
  const app = context.tenant.apps.find((a) => a.appId === clientId);
  if (!app) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`);
  const sha256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const sha1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  const certificate = context.certificates(app.appId).find((c) =>
    (sha256 !== undefined && thumbprintClaim(c.fingerprint256) === sha256) || (sha1 !== undefined && thumbprintClaim(c.fingerprint) === sha1));
  if (!certificate) {
    return aadError(401, 'invalid_client', 700027, `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${sha256 ?? sha1 ?? 'none'}']`);
  }
  try {
    jwt.verify(assertion, certificate.publicKey, {
      algorithms: ['PS256', 'RS256'], issuer: app.appId, subject: app.appId, audience: [...context.tokenAudiences()] as [string, ...string[]],
      // Entra allows five minutes of clock skew; msal rounds its `nbf` to the nearest second, so it may be ahead by half a second.
      clockTolerance: 300,
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError || error instanceof jwt.NotBeforeError) {
      return aadError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    }
    return aadError(401, 'invalid_client', 700027, `Client assertion failed signature validation. (${error instanceof Error ? error.message : 'invalid'})`);
  }
  if (Date.parse(certificate.validTo) < Date.now()) return aadError(401, 'invalid_client', 700027, 'The certificate used by the client has expired.');
  return app;
}

/**
 * Client authentication: `client_secret_post`, `client_secret_basic` or `private_key_jwt` (a client assertion
 * signed with an uploaded certificate), checked against the tenant's apps.
 */
function authenticateClient(context: TokenContext, form: URLSearchParams, authorization: string | undefined): TenantApp | TokenResult {
  if (form.has('client_assertion') || form.has('client_assertion_type')) {
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) {
      return aadError(400, 'invalid_request', 50027, `Invalid client_assertion_type; expected ${CLIENT_ASSERTION_TYPE}.`);
    }
    return assertedClient(context, form);
  }
  const { tenant } = context;
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic?.[1]) {
    const [id, pass] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId = decodeURIComponent(id ?? '');
    secret = decodeURIComponent(pass ?? '');
  }
  const app = tenant.apps.find((a) => a.appId === clientId);
  if (!app) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId ?? ''}' was not found in the directory.`);
  if (secret !== app.secret) return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.');
  return app;
}

/** Requested delegated Graph scopes → the permission names (`.default` = everything granted to the app). */
function graphScopes(app: TenantApp, requested: string): { scopes: string[]; ungranted: string[]; foreign: string[] } {
  const names = requested.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
  const scopes = new Set<string>();
  const ungranted: string[] = [];
  const foreign: string[] = [];
  for (const name of names) {
    const short = name.startsWith(`${GRAPH}/`) ? name.slice(GRAPH.length + 1) : name.includes('/') ? undefined : name;
    if (short === undefined) foreign.push(name);
    else if (short === '.default') app.delegated.forEach((s) => scopes.add(s));
    else if (app.delegated.some((s) => s.toLowerCase() === short.toLowerCase())) scopes.add(short);
    else ungranted.push(short);
  }
  return { scopes: [...scopes], ungranted, foreign };
}

async function clientCredentials(context: TokenContext, app: TenantApp, form: URLSearchParams): Promise<TokenResult> {
  // Graph (with the app's application permissions as roles), or the Bot Connector (a bot's replies; no roles).
  const resource = [GRAPH, BOT_CONNECTOR].find((candidate) => form.get('scope') === `${candidate}/.default`);
  if (resource === undefined) {
    return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const roles = resource === GRAPH && app.application.length > 0 ? { roles: app.application } : {};
  const token = await context.sign({
    aud: resource, tid: context.tenant.tenantId, oid: app.servicePrincipalId, sub: app.servicePrincipalId, appid: app.appId,
    azp: app.appId, idtyp: 'app', ver: '1.0', ...roles,
  }, TOKEN_SECONDS);
  return { status: 200, body: { token_type: 'Bearer', expires_in: TOKEN_SECONDS, ext_expires_in: TOKEN_SECONDS, access_token: token } };
}

async function onBehalfOf(context: TokenContext, app: TenantApp, form: URLSearchParams): Promise<TokenResult> {
  if (form.get('requested_token_use') !== 'on_behalf_of') {
    return aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'requested_token_use'.");
  }
  let assertion: TokenClaims;
  try {
    assertion = verifyJwt(form.get('assertion') ?? '', context.keys(), { issuer: context.issuer, audience: [...app.identifierUris, app.appId] });
  } catch (error) {
    const reason = error instanceof TokenInvalidError ? error.message : 'invalid assertion';
    return aadError(400, 'invalid_grant', 50013, `Assertion failed signature validation or is not valid for this application. (${reason})`);
  }
  const user = context.tenant.users.find((u) => u.id === assertion.oid);
  if (!user || assertion.scp === undefined) return aadError(400, 'invalid_grant', 50013, 'The assertion is not a user token of this tenant.');
  const { scopes, ungranted, foreign } = graphScopes(app, form.get('scope') ?? '');
  if (foreign.length > 0) return aadError(400, 'invalid_resource', 500011, `The resource principal named ${foreign[0] ?? ''} was not found in the tenant.`);
  if ((!user.consented && !context.hasConsented(user.id)) || ungranted.length > 0) {
    return aadError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.appId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`, 'consent_required');
  }
  if (scopes.length === 0) return aadError(400, 'invalid_scope', 70011, 'The provided value for the input parameter scope is not valid.');
  const identity = { tid: context.tenant.tenantId, oid: user.id, sub: user.id, name: user.displayName, preferred_username: user.userPrincipalName };
  const accessToken = await context.sign({ ...identity, aud: GRAPH, scp: scopes.join(' '), upn: user.userPrincipalName, appid: app.appId, azp: app.appId, idtyp: 'user', ver: '1.0' }, TOKEN_SECONDS);
  const wantsIdToken = (form.get('scope') ?? '').split(/\s+/).includes('openid');
  return {
    status: 200,
    body: {
      token_type: 'Bearer', scope: scopes.map((s) => `${GRAPH}/${s}`).join(' '), expires_in: TOKEN_SECONDS, ext_expires_in: TOKEN_SECONDS,
      access_token: accessToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: context.tenant.tenantId })).toString('base64url'),
      ...(wantsIdToken ? { id_token: await context.sign({ ...identity, aud: app.appId, ver: '2.0' }, TOKEN_SECONDS) } : {}),
    },
  };
}

/** `POST /token`: client credentials and on-behalf-of, with Entra's validation and error shapes. */
export async function handleTokenRequest(context: TokenContext, form: URLSearchParams, authorization: string | undefined): Promise<TokenResult> {
  const client = authenticateClient(context, form, authorization);
  if ('status' in client) return client;
  switch (form.get('grant_type')) {
    case 'client_credentials': return clientCredentials(context, client, form);
    case OBO_GRANT: return onBehalfOf(context, client, form);
    default: return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`);
  }
}
