import {
  ConfidentialClientApplication, InteractionRequiredAuthError, type AuthenticationResult, type Configuration,
} from '@azure/msal-node';
import { credentialSummary, type AppConfig } from '../config';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../logger';

/** The delegated Graph permissions the bot asks for on behalf of users (granted in the app registration). */
const DELEGATED_PERMISSIONS = ['AccessReview.ReadWrite.All', 'Group.Read.All', 'User.ReadBasic.All', 'User.Read', 'RoleManagement.Read.Directory'];

/**
 * Graph scopes for the configured cloud: a national cloud's tokens are for its own Graph host
 * (https://graph.microsoft.us/…), so the scopes name that host. The local tenant issues tokens for the
 * global host's scopes, whatever port the emulator listens on.
 */
export function graphScopes(config: Pick<AppConfig, 'localMode' | 'graphBaseUrl'>): { delegated: string[]; app: string[] } {
  const resource = config.localMode ? 'https://graph.microsoft.com' : new URL(config.graphBaseUrl).origin;
  return { delegated: DELEGATED_PERMISSIONS.map((permission) => `${resource}/${permission}`), app: [`${resource}/.default`] };
}

/**
 * What Entra ID said when it refused a token request, for the logs: msal's `errorCode` and `subError`, the
 * request's `correlationId` (what Microsoft support asks for) and the AADSTS code (from msal's `errorNo`, else
 * from the message). Nothing else of the error: its message may quote the request.
 */
export interface AuthFailureDetails {
  errorCode?: string;
  subError?: string;
  correlationId?: string;
  aadsts?: string;
}

export function authFailureDetails(error: unknown): AuthFailureDetails {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as { errorCode?: unknown; subError?: unknown; correlationId?: unknown; errorNo?: unknown; errorMessage?: unknown; message?: unknown };
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const message = text(e.errorMessage) ?? text(e.message) ?? '';
  const errorNo = text(e.errorNo) ?? (typeof e.errorNo === 'number' ? String(e.errorNo) : undefined);
  const aadsts = errorNo !== undefined && /^\d+$/.test(errorNo) ? `AADSTS${errorNo}` : /AADSTS\d+/.exec(message)?.[0];
  // The message ends with "Correlation ID: <guid>" when msal left the field empty.
  const correlationId = text(e.correlationId) ?? /Correlation ID: ([0-9a-f-]{36})/i.exec(message)?.[1];
  const details: AuthFailureDetails = { errorCode: text(e.errorCode), subError: text(e.subError), correlationId, aadsts };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}

/**
 * A JWT's claims, read WITHOUT verifying it: only for decisions that need no trust (refusing someone else's token
 * before it is exchanged, when to stop using a token); undefined when it is not a JWT with a JSON payload.
 */
export function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined || payload === '') return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? claims as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** Who a token belongs to, from the on-behalf-of result (never the token itself). */
export interface SignedInUser {
  userId: string;
  tenantId: string;
}

/** Identity seam of the bot: Graph tokens for users (SSO → OBO) and for the app; the only msal-node user. */
export interface TokenProvider {
  /** Exchanges a Teams SSO token for the user's Graph token (cached by msal). ConsentRequired / InvalidSsoToken on failure. */
  exchange(ssoToken: string): Promise<SignedInUser>;
  /** The user's Graph token from the cache; AppError('SignInRequired') when there is none (or it expired). */
  userToken(userId: string): Promise<string>;
  /** The bot's own Graph token (client credentials), for scheduled work only. */
  appToken(): Promise<string>;
  /** Forgets the user's cached tokens. */
  signOut(userId: string): Promise<void>;
}

/** Whether the user has a Graph token now (no sign-in needed); other failures are thrown. */
export async function hasUserToken(tokens: Pick<TokenProvider, 'userToken'>, userId: string): Promise<boolean> {
  try {
    await tokens.userToken(userId);
    return true;
  } catch (error) {
    if (isAppError(error, 'SignInRequired')) return false;
    throw error;
  }
}

/**
 * One long-lived ConfidentialClientApplication per process, so msal's cache serves later turns. In local mode
 * the authority is an https placeholder whose metadata (fetched once at start) points at the local identity
 * provider; the code path is the production one.
 */
export class MsalTokenProvider implements TokenProvider {
  private constructor(
    private readonly cca: ConfidentialClientApplication,
    private readonly scopes: { delegated: string[]; app: string[] },
    private readonly tenantId: string,
    private readonly log: Logger,
    /** Where the consent pages send users (from the metadata in local mode, else the authority's). */
    readonly authorizeEndpoint: string,
  ) {}

  static async create(config: AppConfig, log: Logger): Promise<MsalTokenProvider> {
    const { certificate } = config.aad;
    // The certificate when there is one (config.ts then keeps no secret for msal): a signed client assertion
    // (PS256, x5t#S256) instead of a shared secret on the wire.
    const auth: Configuration['auth'] = certificate
      ? {
        clientId: config.aad.clientId, authority: config.aad.authority,
        clientCertificate: { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKey, x5c: certificate.x5c },
      }
      : { clientId: config.aad.clientId, clientSecret: config.aad.clientSecret, authority: config.aad.authority };
    log.info({ clientId: config.aad.clientId, credential: credentialSummary(certificate) }, 'Entra ID client credential');
    let authorizeEndpoint = `${config.aad.authority}/oauth2/v2.0/authorize`;
    if (config.aad.metadataUrl) {
      const response = await fetch(config.aad.metadataUrl).catch((error: unknown) => {
        throw new AppError('ConfigInvalid', `The identity provider metadata at ${config.aad.metadataUrl} could not be read (is the local tenant running?).`, { cause: error });
      });
      if (!response.ok) throw new AppError('ConfigInvalid', `The identity provider metadata at ${config.aad.metadataUrl} answered ${response.status}.`);
      auth.authorityMetadata = await response.text();
      auth.knownAuthorities = [new URL(config.aad.authority).host];
      authorizeEndpoint = (JSON.parse(auth.authorityMetadata) as { authorization_endpoint?: string }).authorization_endpoint ?? authorizeEndpoint;
    }
    return new MsalTokenProvider(new ConfidentialClientApplication({ auth }), graphScopes(config), config.aad.tenantId, log, authorizeEndpoint);
  }

  private homeAccountId(userId: string): string {
    return `${userId}.${this.tenantId}`;
  }

  async exchange(ssoToken: string): Promise<SignedInUser> {
    let result: AuthenticationResult | null;
    try {
      result = await this.cca.acquireTokenOnBehalfOf({ oboAssertion: ssoToken, scopes: this.scopes.delegated });
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError && error.subError === 'consent_required') {
        throw new AppError('ConsentRequired', 'You need to consent before I can act as you.', { cause: error });
      }
      throw new AppError('InvalidSsoToken', 'Your sign-in could not be completed. Please try again.', { cause: error });
    }
    const userId = result?.account?.homeAccountId.split('.')[0] ?? result?.uniqueId;
    if (!result || !userId) throw new AppError('InvalidSsoToken', 'Your sign-in could not be completed. Please try again.');
    return { userId, tenantId: result.tenantId };
  }

  async userToken(userId: string): Promise<string> {
    const cache = this.cca.getTokenCache();
    const account = await cache.getAccountByHomeId(this.homeAccountId(userId));
    if (!account) throw new AppError('SignInRequired', 'Please sign in.');
    try {
      const result = await this.cca.acquireTokenSilent({ account, scopes: this.scopes.delegated });
      return result.accessToken;
    } catch (error) {
      // Expired OBO tokens have no refresh path without a new SSO token: ask Teams for one again.
      this.log.debug({ code: error instanceof Error ? error.name : 'unknown' }, 'silent token lookup failed; sign-in needed');
      throw new AppError('SignInRequired', 'Please sign in.', { cause: error });
    }
  }

  async appToken(): Promise<string> {
    const result = await this.cca.acquireTokenByClientCredential({ scopes: this.scopes.app });
    if (!result) throw new AppError('Internal', 'The bot could not get its own token.');
    return result.accessToken;
  }

  async signOut(userId: string): Promise<void> {
    const cache = this.cca.getTokenCache();
    const account = await cache.getAccountByHomeId(this.homeAccountId(userId));
    if (account) await cache.removeAccount(account);
  }
}
