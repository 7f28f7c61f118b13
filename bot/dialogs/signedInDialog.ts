import type { Activity } from 'botbuilder';
import type { TokenProvider } from '../auth/tokenProvider';
import { COMMANDS } from '../commands';
import type { AppConfig } from '../config';
import { appErrorIn } from '../errors';
import { scopeOf, userIdOf } from '../turn';
import { ComponentDialog, Dialog, DialogTurnStatus, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogLib';
import { SSO_PROMPT } from './dialogIds';
import type { SsoPrompt, SsoPromptResult } from './ssoPrompt';

/** What the sign-in policy is built from (once, in createBot). */
export interface SignInPolicy {
  config: Pick<AppConfig, 'sso'>;
  tokens: Pick<TokenProvider, 'userToken' | 'signOut'>;
  prompt: SsoPrompt;
}

/** How a signed-in dialog ends when the user typed something else while asked to sign in: the root runs that text. */
export interface Superseded {
  superseded: true;
}

export const isSuperseded = (result: unknown): result is Superseded =>
  typeof result === 'object' && result !== null && (result as { superseded?: unknown }).superseded === true;

/** Teams signs users in from a message only in personal chat (and group chat): say so, naming the command. */
export function personalChatPointer(phrase: string | undefined, renewing: boolean): string {
  const what = phrase === undefined ? 'go on' : `run \`${phrase}\``;
  return `${renewing ? 'Your sign-in expired. ' : ''}To ${what} as you I need to sign you in${renewing ? ' again' : ''}, ` +
    'which Teams only does in personal chat: send it to me there.';
}

/**
 * Where to go back to after a renewed sign-in: the start (the command runs again), the question a child dialog
 * was asking (asked again), or a point the dialog names itself (its `resume`).
 */
export const START = 'start';
export const CHILD = 'child';

interface PolicyState {
  /** Waiting for the sign-in prompt; then go to this point. */
  signingInFor?: string;
  /** The options the dialog began with (to start again after a renewed sign-in). */
  options?: object;
  /** A sign-in was already renewed in this run: a second refusal ends the dialog instead of asking again. */
  renewed?: boolean;
  /**
   * The question (child dialog stack) set aside while the sign-in prompt runs: put back and asked again after it.
   * Left on the stack, the prompt's end would resume it, and botbuilder's default resume ends a dialog.
   */
  parked?: DialogInstance[];
}

const REFUSED_AGAIN = 'Microsoft Graph refused your sign-in again, so I stopped here: nothing was changed. ' +
  'Type `sign out`, then send the command again.';
const SIGNED_IN_AGAIN = 'You are signed in again. Please answer this once more:';
const NO_WAY_BACK = 'Your sign-in expired and I signed you in again; please send the command again.';

/**
 * The one sign-in policy of the bot's conversations; every dialog that acts as its user extends it:
 * - **sign in first** (silent when a token is cached; the OAuthCard in Teams; in a channel, where Teams shows no
 *   sign-in card, the user is told where to sign in) — a command with `signIn: 'none'` skips it;
 * - **re-ask once** when Graph refuses the token mid-way (`SignInRequired`): forget the token, sign in again, then
 *   go back to where the dialog was (`START`, `CHILD`'s question, or the dialog's own `resume` point); a second
 *   refusal in the same run ends it with a message;
 * - **every other AppError becomes its user message** and ends the dialog (a dialog may catch one itself to say
 *   more); anything else is a bug and goes to onTurnError.
 * Card buttons (invokes) follow the same policy in Universal Actions' terms: cardActions/index.ts.
 */
export abstract class SignedInDialog<O extends object> extends ComponentDialog {
  protected constructor(id: string, private readonly policy: SignInPolicy) {
    super(id);
    this.addDialog(policy.prompt);
  }

  /** The dialog's work, once the user is signed in. */
  protected abstract start(inner: DialogContext, options: O): Promise<DialogTurnResult>;

  /** A child dialog of this dialog (a question) completed with `result`. */
  protected childDone(inner: DialogContext, _result: unknown): Promise<DialogTurnResult> {
    return inner.endDialog();
  }

  /** Goes back to a point of the dialog's own (one it named in `attempt`) after a renewed sign-in. */
  protected resume(inner: DialogContext, _point: string): Promise<DialogTurnResult> {
    return this.tellAndEnd(inner, NO_WAY_BACK);
  }

  /** Whether this run needs the user's token (a command with `signIn: 'none'` does not). */
  protected needsSignIn(_options: O): boolean {
    return true;
  }

  /** What to send in a channel, where Teams cannot sign the user in from a message. */
  protected channelSignIn(_options: O, renewing: boolean): Partial<Activity> | string {
    const command = COMMANDS.find((c) => c.run?.kind === 'dialog' && c.run.dialogId === this.id);
    return personalChatPointer(command ? command.phrases[0] ?? command.name : undefined, renewing);
  }

  protected override async onBeginDialog(inner: DialogContext, options?: O): Promise<DialogTurnResult> {
    if (!options) throw new Error(`${this.id} needs its options`);
    this.policyState(inner).options = options;
    if (!this.needsSignIn(options)) return this.attempt(inner, START, () => this.start(inner, options));
    return this.signIn(inner, START, false);
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    if (this.policyState(inner).signingInFor !== undefined) {
      const result = await inner.continueDialog();
      return result.status === DialogTurnStatus.complete ? this.afterSignIn(inner, result.result as SsoPromptResult | undefined) : result;
    }
    return this.attempt(inner, CHILD, () => this.continueChild(inner));
  }

  /** The turn's activity to the question being asked; what it ends with to the dialog. */
  private async continueChild(inner: DialogContext): Promise<DialogTurnResult> {
    const result = await inner.continueDialog();
    return result.status === DialogTurnStatus.complete ? this.childDone(inner, result.result) : result;
  }

  /**
   * Runs Graph work under the policy: a refused token is renewed (once) and the dialog goes back to `point`; an
   * AppError is said and ends the dialog.
   */
  protected async attempt(inner: DialogContext, point: string, work: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
    try {
      return await work();
    } catch (thrown) {
      const error = appErrorIn(thrown);
      if (!error) throw thrown;
      if (error.code !== 'SignInRequired') return this.tellAndEnd(inner, error.userMessage);
      const state = this.policyState(inner);
      if (state.renewed === true) return this.tellAndEnd(inner, REFUSED_AGAIN);
      state.renewed = true;
      // The sender's own token, never anyone else's (dialog state is per user: the sender is the one who began it).
      await this.policy.tokens.signOut(userIdOf(inner.context));
      if (point === CHILD) state.parked = inner.stack.splice(0);
      return this.signIn(inner, point, true);
    }
  }

  private async signIn(inner: DialogContext, point: string, renewing: boolean): Promise<DialogTurnResult> {
    const userId = userIdOf(inner.context);
    const state = this.policyState(inner);
    if (scopeOf(inner.context) === 'channel' && this.policy.config.sso.mode !== 'local' && !(await this.policy.prompt.signedIn(inner.context, userId))) {
      await inner.context.sendActivity(this.channelSignIn(state.options as O, renewing));
      return inner.endDialog();
    }
    state.signingInFor = point;
    const result = await inner.beginDialog(SSO_PROMPT, { userId });
    // Signed in at once (a cached token, local SSO): go on in this turn.
    if (result.status === DialogTurnStatus.complete) return this.afterSignIn(inner, result.result as SsoPromptResult | undefined, true);
    return result;
  }

  private async afterSignIn(inner: DialogContext, result: SsoPromptResult | undefined, sameTurn = false): Promise<DialogTurnResult> {
    const state = this.policyState(inner);
    const point = state.signingInFor ?? START;
    const options = state.options as O | undefined;
    state.signingInFor = undefined;
    if (result?.superseded === true) return inner.endDialog({ superseded: true } satisfies Superseded);
    if (result?.signedIn !== true) return inner.endDialog();
    return this.attempt(inner, point, async () => {
      if (point === START) {
        if (!options) throw new Error(`${this.id} lost its options while signing in`);
        return this.start(inner, options);
      }
      if (point === CHILD) {
        inner.stack.unshift(...(state.parked ?? []));
        state.parked = undefined;
        if (!inner.activeDialog) return this.tellAndEnd(inner, NO_WAY_BACK);
        // Signed in again within the turn (a restart emptied the token cache, local SSO): the answer this turn
        // brought is still here, so it is answered rather than dropped.
        if (sameTurn) return this.continueChild(inner);
        await inner.context.sendActivity(SIGNED_IN_AGAIN);
        await inner.repromptDialog();
        return Dialog.EndOfTurn;
      }
      return this.resume(inner, point);
    });
  }

  protected async tellAndEnd(inner: DialogContext, text: string): Promise<DialogTurnResult> {
    await inner.context.sendActivity(text);
    return inner.endDialog();
  }

  /** This dialog's own state (not its children's). */
  protected ownState(inner: DialogContext): Record<string, unknown> {
    const state = inner.parent?.activeDialog?.state as Record<string, unknown> | undefined;
    if (!state) throw new Error(`${this.id} has no state`);
    return state;
  }

  private policyState(inner: DialogContext): PolicyState {
    const own = this.ownState(inner);
    own.signIn ??= {};
    return own.signIn as PolicyState;
  }
}
