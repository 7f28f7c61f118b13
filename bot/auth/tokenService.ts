import type { Activity, CloudAdapterBase, SignInUrlResponse, TokenResponse, TurnContext } from 'botbuilder';
import type { Clock } from '../clock';
import type { AppConfig } from '../config';
import { AppError } from '../errors';
import { clippedForLog, type Logger } from '../logger';
import type { ConnectionSignIn } from './ssoCards';
import { userIdOf } from '../turn';
import { authFailureDetails, unverifiedClaims, type SignedInUser, type TokenProvider } from './tokenProvider';

/** A token is used until this long before it expires (a Graph call must not start with a token about to lapse). */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;
/** When the token service names no expiry and the token carries none either. */
const DEFAULT_LIFETIME_MS = 30 * 60 * 1000;
/** At most this many users' tokens in memory; the oldest go first (they come back from the token service). */
const MAX_HELD = 10_000;

/** What the bot uses of botframework-connector's UserTokenClient (CloudAdapter puts one, authenticated as the bot, in each turn). */
interface UserTokenClient {
  getUserToken(userId: string, connectionName: string, channelId: string, magicCode?: string): Promise<TokenResponse | undefined>;
  exchangeToken(userId: string, connectionName: string, channelId: string, request: { token: string }): Promise<TokenResponse | undefined>;
  getSignInResource(connectionName: string, activity: Activity, finalRedirect?: string): Promise<SignInUrlResponse>;
  signOutUser(userId: string, connectionName: string, channelId: string): Promise<void>;
}

/** What a failed token service call says, for the logs: the HTTP status, the AADSTS details, a clipped message (never a token). */
function failureOf(error: unknown): Record<string, unknown> {
  const e = error as { statusCode?: unknown; message?: unknown; name?: unknown };
  return { ...authFailureDetails(error), status: e.statusCode, error: typeof e.name === 'string' ? e.name : undefined,
    reason: typeof e.message === 'string' ? clippedForLog(e.message, 200) : undefined };
}

/** The `exp` claim of a JWT, unverified (only to know when to stop using it); undefined when there is none. */
function expiryOf(token: string): number | undefined {
  const exp = unverifiedClaims(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/**
 * SSO_MODE=connection's TokenProvider: the users' Graph tokens are the ones the Bot Framework token service handed
 * over in a turn ({@link TokenServiceSignIn}), held in memory by Entra object id until shortly before they expire,
 * like msal's cache in the other mode (never stored, logged or shown). The bot's own token (scheduled work) still
 * comes from msal. A user with no token here is asked to sign in, which first asks the token service, silently.
 */
export class TokenServiceTokens implements TokenProvider {
  private readonly held = new Map<string, { token: string; usableUntil: number }>();

  constructor(private readonly app: Pick<TokenProvider, 'appToken'>, private readonly clock: Clock) {}

  /** Keeps the token the token service gave for `userId` (the turn's sender). */
  remember(userId: string, response: { token: string; expiration?: string }): void {
    const named = response.expiration === undefined || response.expiration === '' ? Number.NaN : Date.parse(response.expiration);
    const expiresAt = Number.isFinite(named) ? named : expiryOf(response.token) ?? this.clock.now() + DEFAULT_LIFETIME_MS;
    this.held.delete(userId);
    this.held.set(userId, { token: response.token, usableUntil: expiresAt - EXPIRY_MARGIN_MS });
    for (const oldest of this.held.keys()) {
      if (this.held.size <= MAX_HELD) break;
      this.held.delete(oldest);
    }
  }

  exchange(): Promise<SignedInUser> {
    return Promise.reject(new AppError('Internal', 'With SSO_MODE=connection the token service exchanges Teams tokens, not msal.'));
  }

  userToken(userId: string): Promise<string> {
    const entry = this.held.get(userId);
    if (entry === undefined || entry.usableUntil <= this.clock.now()) {
      this.held.delete(userId);
      return Promise.reject(new AppError('SignInRequired', 'Please sign in.'));
    }
    return Promise.resolve(entry.token);
  }

  appToken(): Promise<string> {
    return this.app.appToken();
  }

  signOut(userId: string): Promise<void> {
    this.held.delete(userId);
    return Promise.resolve();
  }
}

/**
 * Sign-in through the Azure Bot's OAuth connection (SSO_MODE=connection): the Bot Framework token service, reached
 * with the turn's UserTokenClient (CloudAdapter makes one per turn, authenticated as the bot), exchanges the Teams
 * SSO token, hands over tokens it keeps for the user (silent sign-in on later turns, after a restart, on another
 * replica), redeems the magic code of its own sign-in page, and signs the user out. Users are named to it by their
 * Bot Framework id (`from.id`) and the channel; the tokens it returns are kept for the sender's Entra object id.
 */
export class TokenServiceSignIn {
  constructor(private readonly config: AppConfig, private readonly tokens: TokenServiceTokens, private readonly log: Logger) {}

  private client(turn: TurnContext): UserTokenClient {
    const key = (turn.adapter as unknown as Partial<CloudAdapterBase>).UserTokenClientKey;
    const client = key === undefined ? undefined : turn.turnState.get<UserTokenClient | undefined>(key);
    if (client === undefined) throw new AppError('Internal', 'SSO_MODE=connection needs the Bot Framework token service, which this adapter does not offer.');
    return client;
  }

  private where(turn: TurnContext): [userId: string, connectionName: string, channelId: string] {
    return [turn.activity.from.id, this.config.sso.connectionName, turn.activity.channelId];
  }

  /** Keeps a token response for the sender when it has a token; whether it had. */
  private take(turn: TurnContext, response: TokenResponse | undefined): boolean {
    if (typeof response?.token !== 'string' || response.token === '') return false;
    this.tokens.remember(userIdOf(turn), response);
    return true;
  }

  /** Exchanges the sender's Teams SSO token at the token service (which runs the on-behalf-of flow of the connection). */
  async exchange(turn: TurnContext, ssoToken: string): Promise<SignedInUser> {
    let response: (TokenResponse & { error?: { code?: string; message?: string } }) | undefined;
    try {
      response = await this.client(turn).exchangeToken(...this.where(turn), { token: ssoToken });
    } catch (error) {
      this.log.warn(failureOf(error), 'token service exchange failed');
      throw new AppError('InvalidSsoToken', 'Your sign-in could not be completed. Please try again.', { cause: error });
    }
    if (this.take(turn, response)) return { userId: userIdOf(turn), tenantId: turn.activity.conversation?.tenantId ?? '' };
    // A refusal comes back as an error body ({error: {code, message}}) or no token; the message may carry the AADSTS code.
    const refusal = response?.error;
    const details = authFailureDetails({ errorCode: refusal?.code, message: refusal?.message });
    const consent = details.aadsts === 'AADSTS65001' || /consent/i.test(refusal?.message ?? '');
    throw new AppError(consent ? 'ConsentRequired' : 'InvalidSsoToken', consent ? 'You need to consent before I can act as you.' : 'Your sign-in could not be completed. Please try again.',
      { cause: { ...details, errorMessage: refusal?.message } });
  }

  /** Whether the token service already holds a token for the sender (now kept here too): silent sign-in. */
  async silent(turn: TurnContext): Promise<boolean> {
    return this.take(turn, await this.read(turn, undefined));
  }

  /** Redeems the magic code of the token service's sign-in page (`signin/verifyState`, a card's `state`). */
  async redeem(turn: TurnContext, magicCode: string): Promise<boolean> {
    return this.take(turn, await this.read(turn, magicCode));
  }

  private async read(turn: TurnContext, magicCode: string | undefined): Promise<TokenResponse | undefined> {
    try {
      return await this.client(turn).getUserToken(...this.where(turn), magicCode);
    } catch (error) {
      // 404 (no token) is an answer, not a failure; anything else is logged and treated as "no token".
      if ((error as { statusCode?: unknown }).statusCode !== 404) {
        this.log.warn(failureOf(error), 'token service read failed');
      }
      return undefined;
    }
  }

  /** The connection's sign-in link and token exchange resource for the card Teams turns into a silent request. */
  async signInResource(turn: TurnContext): Promise<ConnectionSignIn> {
    let resource: SignInUrlResponse;
    try {
      // No final redirect, as botbuilder's OAuthPrompt.
      resource = await this.client(turn).getSignInResource(this.config.sso.connectionName, turn.activity, undefined);
    } catch (error) {
      this.log.warn(failureOf(error), 'token service sign-in resource failed');
      throw new AppError('Internal', 'The sign-in service did not answer. Please try again in a minute.', { cause: error });
    }
    if (resource.signInLink === undefined || resource.tokenExchangeResource?.id === undefined) {
      throw new AppError('Internal', 'The sign-in service gave no sign-in link. Check the Azure Bot\'s OAuth connection name (SSO_CONNECTION_NAME).');
    }
    return { signInLink: resource.signInLink, tokenExchangeResource: resource.tokenExchangeResource, tokenPostResource: resource.tokenPostResource };
  }

  /** Signs the sender out at the token service (and here). */
  async signOut(turn: TurnContext): Promise<void> {
    await this.tokens.signOut(userIdOf(turn));
    await this.client(turn).signOutUser(...this.where(turn));
  }
}
