import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from './dialogLib';
import { renderChannelSignInCard } from '../../cards';
import { hasUserToken, type TokenProvider } from '../auth/tokenProvider';
import { parseCommand } from '../commands/commandParser';
import { commandSpec, type CommandName } from '../commands/commands';
import type { AppConfig } from '../config';
import { isAppError } from '../errors';
import { replyActivity } from '../features/feature';
import { VERB_COMMANDS, type FeatureRegistry } from '../features';
import { scopeOf, userIdOf, type FeatureRunner } from '../features/runner';
import { quoted } from '../userText';
import { ROOT_DIALOG, ROOT_WATERFALL, SSO_PROMPT } from './dialogIds';
import type { SsoPrompt, SsoPromptResult } from './ssoPrompt';
import { CREATE_REVIEW_DIALOG, type CreateReviewDialog } from './wizard/createReviewDialog';
import { QUICK_CREATE_DIALOG, type QuickCreateDialog } from './wizard/quickCreateDialog';
import type { WizardContext } from './wizard/wizardState';
import type { TurnContext } from 'botbuilder';

interface PendingCommand {
  name: CommandName;
  args: string;
  text: string;
  retried?: boolean;
}

const values = (step: WaterfallStepContext): { pending?: PendingCommand } => step.values;

/** Commands that are conversations (dialogs) rather than one answer. */
const DIALOG_COMMANDS: Partial<Record<CommandName, string>> = { createReview: CREATE_REVIEW_DIALOG, quickCreate: QUICK_CREATE_DIALOG };

/** Options to begin the root with: start a dialog directly (a card button, e.g. "Change a setting"). */
export interface RootOptions {
  begin?: { dialogId: string; options: object };
}

interface TeamsChannelData {
  team?: { aadGroupId?: string };
}

/** The facts a creation dialog needs about this conversation and its user. */
export function wizardContext(turn: TurnContext): WizardContext {
  const aadGroupId = (turn.activity.channelData as TeamsChannelData | undefined)?.team?.aadGroupId;
  return {
    scope: scopeOf(turn),
    ...(typeof aadGroupId === 'string' && scopeOf(turn) === 'channel' ? { teamGroupId: aadGroupId } : {}),
    requester: { id: userIdOf(turn), displayName: turn.activity.from?.name ?? 'you' },
    today: new Date().toISOString().slice(0, 10),
  };
}

/** Words that steer a wizard; with no wizard of the sender's running they have nothing to act on. */
const NAVIGATION_WORDS = new Set(['cancel', 'back']);
const NOT_YOUR_QUESTION = 'That button answers a question that is not yours, or that has ended: only the person who started a wizard ' +
  'can answer it. Type `help` to see what I can do.';

/** A wizard card's button (Action.Submit) sends its step id along. */
const isWizardAnswer = (value: unknown): boolean => typeof (value as { wizard?: unknown } | undefined)?.wizard === 'string';

/** The card verb that replays a command through Universal Actions, if it has one. */
const verbFor = (name: CommandName): keyof typeof VERB_COMMANDS | undefined =>
  (Object.keys(VERB_COMMANDS) as Array<keyof typeof VERB_COMMANDS>).find((verb) => VERB_COMMANDS[verb] === name);

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
    const begin = (step.options as RootOptions | undefined)?.begin;
    if (begin) return step.beginDialog(begin.dialogId, begin.options);
    const parsed = parseCommand(turn.activity.text ?? '');
    if (parsed.kind === 'empty') {
      await turn.sendActivity(isWizardAnswer(turn.activity.value) ? NOT_YOUR_QUESTION : 'Type `help` to see what I can do.');
      return step.endDialog();
    }
    if (parsed.kind === 'unknown' && NAVIGATION_WORDS.has(parsed.word.toLowerCase())) {
      // In a shared room someone else's wizard is theirs: a `cancel` here only ever means the sender's own.
      await turn.sendActivity(`You have nothing in progress here to ${parsed.word.toLowerCase()}. Type \`help\` to see what I can do.`);
      return step.endDialog();
    }
    if (parsed.kind === 'unknown') {
      await turn.sendActivity(unknownReply(parsed.word, parsed.suggestion));
      return step.endDialog();
    }
    const spec = commandSpec(parsed.name);
    const scope = scopeOf(turn);
    if (!spec.scopes.includes(scope)) {
      const where = spec.scopes.map((s) => ({ personal: 'personal chat with me', groupChat: 'group chats', channel: 'team channels' })[s]).join(' or ');
      await turn.sendActivity(`\`${spec.phrases[0] ?? parsed.name}\` works only in ${where}.`);
      return step.endDialog();
    }
    const pending: PendingCommand = { name: parsed.name, args: parsed.args, text: turn.activity.text ?? '' };
    if (!spec.needsGraph) return this.reply(step, pending);
    const userId = userIdOf(turn);
    if (scope === 'channel' && this.config.sso.mode === 'teams' && !(await hasUserToken(this.tokens, userId))) {
      // Bot SSO does not work in channels: a card button signs in through Universal Actions, or personal chat.
      const verb = verbFor(pending.name);
      await turn.sendActivity(verb === undefined
        ? `To run \`${spec.phrases[0] ?? pending.name}\` as you I need to sign you in, which Teams only does in personal chat: send it to me there.`
        : replyActivity({ card: renderChannelSignInCard({ title: 'Continue as me', verb, data: { args: pending.args.slice(0, 200) } }) }));
      return step.endDialog();
    }
    values(step).pending = pending;
    return step.beginDialog(SSO_PROMPT, { userId });
  }

  private async runCommand(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as SsoPromptResult | undefined;
    if (result?.superseded) return step.replaceDialog(ROOT_WATERFALL);
    const { pending } = values(step);
    if (!result?.signedIn || !pending) return step.endDialog();
    return this.reply(step, pending);
  }

  private async done(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }

  private async reply(step: WaterfallStepContext, pending: PendingCommand): Promise<DialogTurnResult> {
    const dialogId = DIALOG_COMMANDS[pending.name];
    if (dialogId) return step.beginDialog(dialogId, { args: pending.args, context: wizardContext(step.context) });
    const feature = this.features.get(pending.name);
    if (!feature) return step.endDialog();
    try {
      await step.context.sendActivity(replyActivity(await this.runner.run(feature, step.context, pending.args)));
      return await step.endDialog();
    } catch (error) {
      if (!isAppError(error, 'SignInRequired') || pending.retried === true) throw error;
      // Graph refused the cached token (expired or revoked): forget it and sign in again, once.
      await this.tokens.signOut(userIdOf(step.context));
      values(step).pending = { ...pending, retried: true };
      return step.beginDialog(SSO_PROMPT, { userId: userIdOf(step.context) });
    }
  }
}
