import type { AdaptiveCardInvokeResponse, Attachment, InvokeResponse, TokenExchangeInvokeRequest, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AppConfig } from '../config';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../logger';
import type { KeyValueStore } from '../storage/keyValueStore';
import { loginRequest, oauthCard } from './ssoCards';
import { authFailureDetails, hasUserToken, unverifiedClaims, type SignedInUser, type TokenProvider } from './tokenProvider';
import type { TokenServiceSignIn } from './tokenService';

export type SignInOutcome =
  | { kind: 'signedIn'; userId: string }
  | { kind: 'duplicate' }
  | { kind: 'failed'; code: 'ConsentRequired' | 'InvalidSsoToken' | 'UserMismatch' };

const ExchangeValue = z.object({ id: z.string().min(1), connectionName: z.string().optional(), token: z.string().min(1) });

/**
 * The `oid` claim of an SSO token, read without verifying it (the on-behalf-of exchange verifies the token):
 * enough to refuse someone else's token before it is exchanged. Teams SSO tokens always carry it.
 */
function unverifiedObjectId(token: string): string | undefined {
  const oid = unverifiedClaims(token)?.oid;
  return typeof oid === 'string' && oid !== '' ? oid : undefined;
}

/** How long a token-exchange id is remembered, so late duplicates from other Teams clients are still dropped. */
const DEDUPE_SECONDS = 15 * 60;

/**
 * Turns Teams SSO tokens into the user's Graph token (on-behalf-of through the TokenProvider) and answers
 * the invoke as Teams expects: 200 `{id, connectionName}`, 412 with `failureDetail` (Teams then shows consent
 * or the sign-in button), 400 for a malformed value, and an empty 200 for duplicates of an exchange already
 * handled (several Teams clients send the same id). De-duplication is create-if-absent in shared storage.
 */
export class SsoService {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: TokenProvider,
    private readonly store: KeyValueStore,
    private readonly log: Logger,
    /** SSO_MODE=connection: the Azure Bot's OAuth connection, which then exchanges, keeps and signs out instead of msal. */
    private readonly tokenService?: TokenServiceSignIn,
  ) {
    if (config.sso.mode === 'connection' && tokenService === undefined) throw new Error('SSO_MODE=connection needs the token service sign-in');
  }

  private connection(): TokenServiceSignIn | undefined {
    return this.config.sso.mode === 'connection' ? this.tokenService : undefined;
  }

  /**
   * Whether the turn's sender has a Graph token now, without asking them: msal's cache, or (SSO_MODE=connection)
   * a token the token service still keeps for them (after a restart, or one given to another replica).
   */
  async signedIn(turn: TurnContext, userId: string): Promise<boolean> {
    if (await hasUserToken(this.tokens, userId)) return true;
    return (await this.connection()?.silent(turn)) ?? false;
  }

  /** The OAuthCard that starts Teams' silent sign-in: the bot's own consent page, or the token service's sign-in link. */
  async card(turn: TurnContext, exchangeId: string): Promise<Attachment> {
    const loginHint = (turn.activity.from as { userPrincipalName?: string }).userPrincipalName;
    const connection = this.connection();
    if (connection === undefined) return oauthCard(this.config, exchangeId, loginHint);
    return oauthCard(this.config, exchangeId, loginHint, await connection.signInResource(turn));
  }

  /** Universal Actions' 401 loginRequest for a card button that needs the presser's token. */
  async loginRequest(turn: TurnContext, exchangeId: string): Promise<AdaptiveCardInvokeResponse> {
    const connection = this.connection();
    if (connection === undefined) return loginRequest(this.config, exchangeId, undefined);
    return loginRequest(this.config, exchangeId, undefined, await connection.signInResource(turn));
  }

  /**
   * `signin/verifyState` (or a card's `state`) after the sign-in page: with the token service, its magic code is
   * redeemed for the sender's token; with the bot's own page there is no code (consent was given: Teams retries SSO).
   */
  async verifyState(turn: TurnContext, value: unknown): Promise<SignInOutcome | undefined> {
    const connection = this.connection();
    const state = typeof value === 'object' && value !== null ? (value as { state?: unknown }).state : undefined;
    if (connection === undefined || typeof state !== 'string' || state === '' || state.length > 100) return undefined;
    return (await connection.redeem(turn, state)) ? { kind: 'signedIn', userId: turn.activity.from.aadObjectId ?? '' } : { kind: 'failed', code: 'InvalidSsoToken' };
  }

  /** `sign out`: the sender's tokens forgotten here, and at the token service (SSO_MODE=connection). */
  async signOut(turn: TurnContext, userId: string): Promise<void> {
    await this.tokens.signOut(userId);
    await this.connection()?.signOut(turn);
  }

  private exchangeAs(ssoToken: string, turn: TurnContext | undefined): Promise<SignedInUser> {
    const connection = this.connection();
    if (connection === undefined) return this.tokens.exchange(ssoToken);
    if (turn === undefined) throw new Error('the token service exchanges within a turn');
    return connection.exchange(turn, ssoToken);
  }

  /**
   * Exchanges a token for `expectedUserId` (the activity's sender): a token of someone else is refused. The
   * check comes first, on the token's (not yet verified) `oid`: the on-behalf-of exchange caches the owner's
   * Graph token, so exchanging a replayed token of a user who signed out would sign them back in.
   */
  async exchange(ssoToken: string, expectedUserId: string, turn?: TurnContext): Promise<SignInOutcome> {
    const claimedUserId = unverifiedObjectId(ssoToken);
    if (claimedUserId === undefined) {
      this.log.info({ userId: expectedUserId }, 'SSO token refused: no object id in it');
      return { kind: 'failed', code: 'InvalidSsoToken' };
    }
    if (claimedUserId !== expectedUserId) {
      this.log.warn({ expectedUserId, tokenUserId: claimedUserId }, 'SSO token belongs to another user; not exchanged');
      return { kind: 'failed', code: 'UserMismatch' };
    }
    try {
      const user = await this.exchangeAs(ssoToken, turn);
      if (user.userId !== expectedUserId) {
        // The account the exchange just cached is not the sender's: drop it, so a refusal never signs anyone in.
        await this.tokens.signOut(user.userId);
        this.log.warn({ expectedUserId, tokenUserId: user.userId }, 'SSO token belongs to another user; its cached account removed');
        return { kind: 'failed', code: 'UserMismatch' };
      }
      return { kind: 'signedIn', userId: user.userId };
    } catch (error) {
      if (isAppError(error, 'ConsentRequired') || isAppError(error, 'InvalidSsoToken')) {
        // Entra's own words (AADSTS code, msal's errorCode/subError, correlation id), never the token: consent is
        // the normal first-run path (info); anything else means a configuration or policy problem (warn).
        const record = { code: error.code, userId: expectedUserId, ...authFailureDetails(error.cause) };
        if (error.code === 'ConsentRequired') this.log.info(record, 'SSO exchange refused');
        else this.log.warn(record, 'SSO exchange refused');
        return { kind: 'failed', code: error.code === 'ConsentRequired' ? 'ConsentRequired' : 'InvalidSsoToken' };
      }
      throw error;
    }
  }

  /** A `signin/tokenExchange` invoke: the outcome and the invoke response to send. */
  async tokenExchange(value: unknown, conversationId: string, userId: string, turn?: TurnContext): Promise<{ outcome: SignInOutcome | undefined; response: InvokeResponse }> {
    const parsed = ExchangeValue.safeParse(value);
    if (!parsed.success) {
      return { outcome: undefined, response: { status: 400, body: { failureDetail: 'The token exchange request is missing its id or token.' } } };
    }
    const request: TokenExchangeInvokeRequest = { id: parsed.data.id, connectionName: parsed.data.connectionName ?? this.config.sso.connectionName, token: parsed.data.token };
    const outcome = await this.exchange(request.token, userId, turn);
    if (outcome.kind === 'failed') {
      return { outcome, response: { status: 412, body: { id: request.id, connectionName: request.connectionName, failureDetail: outcome.code === 'ConsentRequired' ? 'consent_required' : 'The token could not be exchanged.' } } };
    }
    // Per user too: everyone in a group chat sees the OAuthCard (and its id), and another member's exchange must
    // not turn the requester's own into a "duplicate".
    const first = await this.store.createIfAbsent(`sso-exchange/${conversationId}/${userId}/${request.id}`, { userId }, DEDUPE_SECONDS);
    if (!first) return { outcome: { kind: 'duplicate' }, response: { status: 200 } };
    return { outcome, response: { status: 200, body: { id: request.id, connectionName: request.connectionName } } };
  }

  /** SSO_MODE=local: asks the local identity provider for the token Teams would hand over, then exchanges it. */
  async localSignIn(userId: string): Promise<SignInOutcome> {
    const response = await fetch(this.config.sso.localTokenUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: userId }),
    });
    if (response.status === 404) return { kind: 'failed', code: 'InvalidSsoToken' };
    if (!response.ok) throw new AppError('Internal', 'The local identity provider is not answering.', { status: response.status });
    const { token } = (await response.json()) as { token: string };
    return this.exchange(token, userId);
  }
}
