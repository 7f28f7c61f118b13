import { randomUUID } from 'node:crypto';
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { unescapeCardText } from '../../cards';
import { isCardVerb, type CardVerb } from '../../cards/verbs';
import type { SsoService } from '../auth/ssoService';
import type { TokenProvider } from '../auth/tokenProvider';
import type { AppConfig } from '../config';
import { isAppError } from '../errors';
import { commandForVerb, whereItWorks } from '../commands';
import type { FeatureRegistry } from '../features';
import { replyActivity, type Feature, type FeatureReply } from '../features/feature';
import type { FeatureRunner } from '../features/runner';
import { scopeOf, userIdOf } from '../turn';
import { plainText } from '../userText';

const error = (statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse =>
  ({ statusCode, type: 'application/vnd.microsoft.error', value: { code, message } });

/**
 * The replacement card, or a message: Teams shows that text as typed, so markdown is made plain (botbuilder's type
 * only admits objects as `value`).
 */
export const invokeReply = (reply: FeatureReply): AdaptiveCardInvokeResponse => 'card' in reply
  ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card }
  : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: plainText(reply.text) as unknown as Record<string, unknown> };

/**
 * A button that opens something (a list's Details and Decisions) posts its card below and leaves its own card as it
 * was; other buttons (Next, Refresh, a choice) replace their card. Untrusted, but it only chooses where the answer goes.
 */
export const opensBelow = (data: unknown): boolean => (data as { open?: unknown } | null)?.open === 'below';

/** Text a card sends back, re-checked: card data is untrusted (anyone may craft an invoke). */
export function argsOf(data: unknown): string {
  const args = (data as { args?: unknown } | null)?.args;
  return typeof args === 'string' ? unescapeCardText(args).slice(0, 200) : '';
}

/** What a handler's `admit` decided before any sign-in: go on (with what it found), or answer at once. */
export type Admission = { refuse: AdaptiveCardInvokeResponse } | { admitted: unknown };

/** A button whose verb is not a plain command (e.g. the confirmation card's Create). Card data is untrusted. */
export interface VerbHandler {
  needsGraph: boolean;
  /**
   * Runs before sign-in: a press that must go no further (someone else's draft, an outdated card) is answered
   * without asking anyone to sign in. What it admits is handed to `handle`.
   */
  admit?(turn: TurnContext, data: unknown): Promise<Admission>;
  handle(turn: TurnContext, data: unknown, admitted?: unknown): Promise<AdaptiveCardInvokeResponse>;
}

export type VerbHandlers = Readonly<Partial<Record<CardVerb, VerbHandler>>>;

/**
 * Action.Execute buttons by verb. Each acts as the user who pressed it (never the card's recipient, never the
 * app): with Universal Actions SSO the first press answers 401 loginRequest, Teams signs in silently and
 * retries with `authentication.token`, which is exchanged on behalf of that user.
 */
export class CardActions {
  constructor(
    private readonly config: AppConfig,
    private readonly features: FeatureRegistry,
    private readonly runner: FeatureRunner,
    private readonly tokens: TokenProvider,
    private readonly sso: SsoService,
    private readonly handlers: VerbHandlers = {},
  ) {}

  async handle(turn: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = value.action.verb;
    if (!isCardVerb(verb)) return error(400, 'BadRequest', 'This button is not one I know (it may come from an older version of the bot).');
    const command = commandForVerb(verb);
    const feature = command === undefined ? undefined : this.features.get(command.name);
    const handler = this.handlers[verb];
    if (!feature && !handler) return error(400, 'BadRequest', 'This button is not available.');
    // A button replays its command under the command's own rules: only where the command works.
    if (command && !command.scopes.includes(scopeOf(turn))) {
      return invokeReply({ text: `\`${command.phrases[0] ?? command.name}\` works only in ${whereItWorks(command)}.` });
    }
    const admission = handler?.admit ? await handler.admit(turn, value.action.data) : undefined;
    if (admission && 'refuse' in admission) return admission.refuse;
    if (handler ? handler.needsGraph : command?.signIn === 'user') {
      const refusal = await this.ensureSignedIn(turn, value);
      if (refusal) return refusal;
    }
    try {
      if (handler) return await handler.handle(turn, value.action.data, admission?.admitted);
      const reply = await this.runner.run(feature as Feature, turn, argsOf(value.action.data));
      if (!opensBelow(value.action.data) || !('card' in reply)) return invokeReply(reply);
      await turn.sendActivity(replyActivity(reply));
      return invokeReply({ text: 'Opened below.' });
    } catch (failure) {
      if (!isAppError(failure, 'SignInRequired')) throw failure;
      await this.tokens.signOut(userIdOf(turn));
      return this.sso.loginRequest(turn, randomUUID());
    }
  }

  /** undefined when the presser has a Graph token now; otherwise the 401 loginRequest that starts SSO. */
  private async ensureSignedIn(turn: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse | undefined> {
    const userId = userIdOf(turn);
    const offered = value.authentication?.token;
    if (offered) {
      const outcome = await this.sso.exchange(offered, userId, turn);
      return outcome.kind === 'signedIn' ? undefined : this.sso.loginRequest(turn, randomUUID());
    }
    // After the token service's sign-in page, Teams sends the action again with its magic code as `state`.
    if ((await this.sso.verifyState(turn, value))?.kind === 'signedIn') return undefined;
    if (await this.sso.signedIn(turn, userId)) return undefined;
    if (this.config.sso.mode === 'local') {
      const outcome = await this.sso.localSignIn(userId);
      if (outcome.kind === 'signedIn') return undefined;
    }
    return this.sso.loginRequest(turn, randomUUID());
  }
}
