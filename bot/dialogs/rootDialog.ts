import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from './dialogLib';
import { renderChannelSignInCard } from '../../cards';
import { hasUserToken, type TokenProvider } from '../auth/tokenProvider';
import { parseCommand } from '../commands/commandParser';
import { commandNamed, isAvailable, whereItWorks } from '../commands';
import { todayOf, type Clock } from '../clock';
import type { AppConfig } from '../config';
import { isAppError } from '../errors';
import { replyActivity } from '../features/feature';
import type { FeatureRegistry } from '../features';
import type { FeatureRunner } from '../features/runner';
import { scopeOf, teamsContextOf, userIdOf } from '../turn';
import { quoted } from '../userText';
import { CREATE_REVIEW_DIALOG, ROOT_DIALOG, ROOT_WATERFALL, SSO_PROMPT } from './dialogIds';
import type { SsoPrompt, SsoPromptResult } from './ssoPrompt';
import type { CreateReviewDialog, CreateReviewOptions } from './wizard/createReviewDialog';
import type { QuickCreateDialog } from './wizard/quickCreateDialog';
import { isInterrupted, type Interrupted, type WizardContext, type WizardResume } from './wizard/wizardState';
import type { TurnContext } from 'botbuilder';

interface PendingCommand {
  /** A command name of the catalogue. */
  name: string;
  args: string;
  text: string;
  retried?: boolean;
}

const values = (step: WaterfallStepContext): { pending?: PendingCommand; resume?: WizardResume } => step.values;

const LEFT_WIZARD = 'I left what you were creating there: nothing was created.';

/** Options to begin the root with: start a dialog directly (a card button, e.g. "Change a setting"). */
export interface RootOptions {
  begin?: { dialogId: string; options: object };
  /** A wizard a typed command interrupted: asked again after that command's answer. */
  resume?: WizardResume;
}

/** The facts a creation dialog needs about this conversation and its user. */
export function wizardContext(turn: TurnContext, clock: Clock): WizardContext {
  const { aadGroupId } = teamsContextOf(turn);
  return {
    scope: scopeOf(turn),
    ...(typeof aadGroupId === 'string' && scopeOf(turn) === 'channel' ? { teamGroupId: aadGroupId } : {}),
    requester: { id: userIdOf(turn), displayName: turn.activity.from?.name ?? 'you' },
    today: todayOf(clock),
  };
}

/** Words that steer a wizard; with no wizard of the sender's running they have nothing to act on. */
const NAVIGATION_WORDS = new Set(['cancel', 'back']);
const NOT_YOUR_QUESTION = 'That button answers a question that is not yours, or that has ended: only the person who started a wizard ' +
  'can answer it. Type `help` to see what I can do.';

/** A wizard card's button (Action.Submit) sends its step id along. */
const isWizardAnswer = (value: unknown): boolean => typeof (value as { wizard?: unknown } | undefined)?.wizard === 'string';

const unknownReply = (word: string, suggestion: string | undefined): string =>
  `I didn't understand ${quoted(word)}.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''} Type \`help\` to see what I can do.`;

/**
 * One turn of conversation: text → command → (sign-in if it needs Graph) → feature → reply. The waterfall's
 * state (the pending command) is persisted, so a restart while waiting for sign-in loses nothing.
 */
export class RootDialog extends ComponentDialog {
  constructor(
    private readonly config: AppConfig,
    private readonly features: FeatureRegistry,
    private readonly runner: FeatureRunner,
    private readonly tokens: TokenProvider,
    private readonly clock: Clock,
    ssoPrompt: SsoPrompt,
    createReview: CreateReviewDialog,
    quickCreate: QuickCreateDialog,
  ) {
    super(ROOT_DIALOG);
    this.addDialog(ssoPrompt);
    this.addDialog(createReview);
    this.addDialog(quickCreate);
    this.addDialog(new WaterfallDialog(ROOT_WATERFALL, [this.routeCommand.bind(this), this.runCommand.bind(this), this.done.bind(this)]));
    this.initialDialogId = ROOT_WATERFALL;
  }

  private async routeCommand(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = step.context;
    const options = step.options as RootOptions | undefined;
    if (options?.begin) return step.beginDialog(options.begin.dialogId, options.begin.options);
    values(step).resume = options?.resume;
    // A sign-in invoke with no prompt waiting (late, or the user moved on): nothing to answer.
    if (turn.activity.type !== 'message') return this.end(step);
    const parsed = parseCommand(turn.activity.text ?? '');
    if (parsed.kind === 'empty') {
      await turn.sendActivity(isWizardAnswer(turn.activity.value) ? NOT_YOUR_QUESTION : 'Type `help` to see what I can do.');
      return this.end(step);
    }
    if (parsed.kind === 'unknown' && NAVIGATION_WORDS.has(parsed.word.toLowerCase())) {
      // In a shared room someone else's wizard is theirs: a `cancel` here only ever means the sender's own.
      await turn.sendActivity(`You have nothing in progress here to ${parsed.word.toLowerCase()}. Type \`help\` to see what I can do.`);
      return this.end(step);
    }
    if (parsed.kind === 'unknown') {
      await turn.sendActivity(unknownReply(parsed.word, parsed.suggestion));
      return this.end(step);
    }
    const spec = commandNamed(parsed.name);
    const scope = scopeOf(turn);
    if (!spec.scopes.includes(scope)) {
      await turn.sendActivity(`\`${spec.phrases[0] ?? parsed.name}\` works only in ${whereItWorks(spec)}.`);
      return this.end(step);
    }
    const pending: PendingCommand = { name: parsed.name, args: parsed.args, text: turn.activity.text ?? '' };
    // A command not available yet says so at once: no sign-in for nothing.
    if (spec.signIn === 'none' || !isAvailable(spec)) return this.reply(step, pending);
    const userId = userIdOf(turn);
    if (scope === 'channel' && this.config.sso.mode === 'teams' && !(await hasUserToken(this.tokens, userId))) {
      // Bot SSO does not work in channels: a card button signs in through Universal Actions, or personal chat.
      const verb = spec.verbs?.[0];
      await turn.sendActivity(verb === undefined
        ? `To run \`${spec.phrases[0] ?? pending.name}\` as you I need to sign you in, which Teams only does in personal chat: send it to me there.`
        : replyActivity({ card: renderChannelSignInCard({ title: 'Continue as me', verb, data: { args: pending.args.slice(0, 200) } }) }));
      return this.end(step);
    }
    values(step).pending = pending;
    return step.beginDialog(SSO_PROMPT, { userId });
  }

  private async runCommand(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isInterrupted(step.result)) return this.interrupted(step, step.result);
    const result = step.result as SsoPromptResult | undefined;
    if (result?.superseded) return step.replaceDialog(ROOT_WATERFALL, values(step).resume ? { resume: values(step).resume } : undefined);
    const { pending } = values(step);
    if (!result?.signedIn || !pending) return this.end(step);
    return this.reply(step, pending);
  }

  private async done(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isInterrupted(step.result)) return this.interrupted(step, step.result);
    return step.endDialog();
  }

  /**
   * A command was typed in the middle of a wizard: this turn's text runs as that command. A one-answer command
   * (`reviews`, `sign out`…) answers, then the wizard asks its question again; a conversation (`create review`,
   * `review …`) replaces it, and the user is told the old one was left.
   */
  private async interrupted(step: WaterfallStepContext, result: Interrupted): Promise<DialogTurnResult> {
    const parsed = parseCommand(step.context.activity.text ?? '');
    const startsAnother = parsed.kind === 'command' && commandNamed(parsed.name).run?.kind === 'dialog';
    const resume = startsAnother ? undefined : result.resume;
    if (!resume) await step.context.sendActivity(LEFT_WIZARD);
    return step.replaceDialog(ROOT_WATERFALL, resume ? { resume } satisfies RootOptions : undefined);
  }

  /** Ends this turn's command; a wizard it interrupted asks its question again. */
  private async end(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { resume } = values(step);
    if (!resume) return step.endDialog();
    values(step).resume = undefined;
    await step.context.sendActivity('Back to what you were creating:');
    return step.beginDialog(CREATE_REVIEW_DIALOG, {
      context: resume.context, state: resume.state, resumeAt: resume.step, ...(resume.draftId ? { draftId: resume.draftId } : {}),
    } satisfies CreateReviewOptions);
  }

  private async reply(step: WaterfallStepContext, pending: PendingCommand): Promise<DialogTurnResult> {
    const run = commandNamed(pending.name).run;
    if (run?.kind === 'dialog') return step.beginDialog(run.dialogId, { args: pending.args, context: wizardContext(step.context, this.clock) });
    const feature = this.features.get(pending.name);
    if (!feature) return this.end(step);
    try {
      await step.context.sendActivity(replyActivity(await this.runner.run(feature, step.context, pending.args)));
      return await this.end(step);
    } catch (error) {
      if (!isAppError(error, 'SignInRequired') || pending.retried === true) throw error;
      // Graph refused the cached token (expired or revoked): forget it and sign in again, once.
      await this.tokens.signOut(userIdOf(step.context));
      values(step).pending = { ...pending, retried: true };
      return step.beginDialog(SSO_PROMPT, { userId: userIdOf(step.context) });
    }
  }
}
