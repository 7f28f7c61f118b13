import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogLib';
import type { SignInOutcome, SsoService } from '../auth/ssoService';
import type { Clock } from '../clock';
import type { AppConfig } from '../config';
import { SSO_PROMPT } from './dialogIds';
import { SIGN_IN_OUTCOME } from './turnKeys';

/** How the prompt ended: signed in, gave up, or the user typed something else (handle that instead). */
export interface SsoPromptResult {
  signedIn: boolean;
  superseded?: boolean;
}

interface PromptState {
  exchangeId: string;
  expiresAt: number;
}

const TIMEOUT_MS = 15 * 60 * 1000;
const CONSENT_TEXT = 'I need your consent before I can read access reviews as you. Open the sign-in card to give it, then try again.';

/**
 * Ensures the user has a Graph token. Silent when msal's cache has one; otherwise (Teams) sends an OAuthCard
 * with a tokenExchangeResource and waits: the bot exchanges the `signin/tokenExchange` invoke before the
 * dialog runs and leaves the outcome on turnState. `signin/verifyState` (after consent in the pop-up) resends
 * the card so Teams retries the silent exchange. In SSO_MODE=local the token comes from the local identity provider.
 */
export class SsoPrompt extends Dialog<{ userId: string }> {
  constructor(private readonly config: AppConfig, private readonly sso: SsoService,
    private readonly clock: Clock) {
    super(SSO_PROMPT);
  }

  override async beginDialog(dc: DialogContext, options?: { userId: string }): Promise<DialogTurnResult> {
    const userId = options?.userId ?? dc.context.activity.from.aadObjectId ?? '';
    if (await this.signedIn(dc.context, userId)) return dc.endDialog({ signedIn: true } satisfies SsoPromptResult);
    if (this.config.sso.mode === 'local') {
      const outcome = await this.sso.localSignIn(userId);
      if (outcome.kind !== 'signedIn') await dc.context.sendActivity(outcome.kind === 'failed' && outcome.code === 'ConsentRequired' ? CONSENT_TEXT : 'I could not sign you in.');
      return dc.endDialog({ signedIn: outcome.kind === 'signedIn' } satisfies SsoPromptResult);
    }
    const state: PromptState = { exchangeId: randomUUID(), expiresAt: this.clock.now() + TIMEOUT_MS };
    if (dc.activeDialog) Object.assign(dc.activeDialog.state, state);
    await this.sendCard(dc.context, state.exchangeId);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog?.state as PromptState | undefined;
    const activity = dc.context.activity;
    if (!state || this.clock.now() > state.expiresAt) return dc.endDialog({ signedIn: false } satisfies SsoPromptResult);
    if (activity.type === 'message') return dc.endDialog({ signedIn: false, superseded: true } satisfies SsoPromptResult);
    const outcome = dc.context.turnState.get<SignInOutcome | undefined>(SIGN_IN_OUTCOME);
    if (outcome?.kind === 'signedIn') return dc.endDialog({ signedIn: true } satisfies SsoPromptResult);
    if (activity.type === 'invoke' && activity.name === 'signin/verifyState') {
      state.exchangeId = randomUUID();
      await this.sendCard(dc.context, state.exchangeId);
    } else if (outcome?.kind === 'failed' && outcome.code === 'ConsentRequired') {
      await dc.context.sendActivity(CONSENT_TEXT);
    }
    return Dialog.EndOfTurn;
  }

  /** Whether the sender has a Graph token now, without asking (msal's cache, or the token service's). */
  signedIn(context: TurnContext, userId: string): Promise<boolean> {
    return this.sso.signedIn(context, userId);
  }

  private async sendCard(context: TurnContext, exchangeId: string): Promise<void> {
    await context.sendActivity({ attachments: [await this.sso.card(context, exchangeId)] });
  }
}
