import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from './dialogLib';
import { parseCommand } from '../commands/commandParser';
import { commandNamed, whereItWorks, worksIn } from '../commands';
import { todayOf, type Clock } from '../clock';
import type { TeamGroups } from '../teamGroups';
import { scopeOf, userIdOf, type Scope } from '../turn';
import { quoted } from '../userText';
import { CREATE_REVIEW_DIALOG, FEATURE_DIALOG, ROOT_DIALOG, ROOT_WATERFALL } from './dialogIds';
import type { FeatureDialog, FeatureOptions } from './featureDialog';
import { isSuperseded } from './signedInDialog';
import type { CreateReviewDialog, CreateReviewOptions } from './wizard/createReviewDialog';
import type { QuickCreateDialog } from './wizard/quickCreateDialog';
import { isInterrupted, type Interrupted, type WizardContext, type WizardResume } from './wizard/wizardState';
import type { TurnContext } from 'botbuilder';

const values = (step: WaterfallStepContext): { resume?: WizardResume } => step.values;

const LEFT_WIZARD = 'I left what you were creating there: nothing was created.';

/** Options to begin the root with: start a dialog directly (a card button, e.g. "Change a setting"). */
export interface RootOptions {
  begin?: { dialogId: string; options: object };
  /** A wizard a typed command interrupted: asked again after that command's answer. */
  resume?: WizardResume;
}

/** The facts a creation dialog needs about this conversation and its user (`teamGroupId`: this team's group, in a channel). */
export function wizardContext(turn: TurnContext, clock: Clock, teamGroupId: string | undefined): WizardContext {
  return {
    scope: scopeOf(turn),
    ...(teamGroupId !== undefined && scopeOf(turn) === 'channel' ? { teamGroupId } : {}),
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

/**
 * What to say to a sentence that is no command: the typo's closest command, else a command the sentence names
 * (only one that works here; creating a review points to both ways of doing it), then `help`.
 */
function unknownReply(word: string, suggestion: string | undefined, mentioned: string | undefined, scope: Scope): string {
  const lead = `I didn't understand ${quoted(word)}.`;
  if (suggestion !== undefined) return `${lead} Did you mean \`${suggestion}\`? Type \`help\` to see what I can do.`;
  const named = mentioned === undefined ? undefined : commandNamed(mentioned);
  if (named !== undefined && (named.name === 'quickCreate' || named.name === 'createReview') && worksIn(named, scope)) {
    return `${lead} To create a review, type \`create review\` for the step-by-step wizard, or one line such as ` +
      `\`review "Finance" members monthly\`. Type \`help\` for more.`;
  }
  if (named !== undefined && worksIn(named, scope)) {
    return `${lead} Did you mean \`${named.phrases[0] ?? named.name}\`? Type \`help\` to see what I can do.`;
  }
  return `${lead} Type \`help\` to see what I can do.`;
}

/**
 * One turn of conversation: text → command → the command's dialog (a one-answer command runs in the feature
 * dialog; both sign in under the one policy of signedInDialog.ts). The waterfall's state is persisted, so a
 * restart while waiting for sign-in loses nothing. A wizard a typed command interrupted is resumed here.
 */
export class RootDialog extends ComponentDialog {
  constructor(private readonly clock: Clock, private readonly teams: Pick<TeamGroups, 'groupOf'>, dialogs: { feature: FeatureDialog; createReview: CreateReviewDialog; quickCreate: QuickCreateDialog }) {
    super(ROOT_DIALOG);
    for (const dialog of [dialogs.feature, dialogs.createReview, dialogs.quickCreate]) this.addDialog(dialog);
    const after = this.afterCommand.bind(this);
    // Twice: after the command, then after a wizard it interrupted and that was resumed.
    this.addDialog(new WaterfallDialog(ROOT_WATERFALL, [this.routeCommand.bind(this), after, after]));
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
      await turn.sendActivity(unknownReply(parsed.word, parsed.suggestion, parsed.mentioned, scopeOf(turn)));
      return this.end(step);
    }
    const spec = commandNamed(parsed.name);
    if (!spec.scopes.includes(scopeOf(turn))) {
      await turn.sendActivity(`\`${spec.phrases[0] ?? parsed.name}\` works only in ${whereItWorks(spec)}.`);
      return this.end(step);
    }
    const run = spec.run;
    if (run?.kind === 'dialog') {
      return step.beginDialog(run.dialogId, { args: parsed.args, context: wizardContext(turn, this.clock, await this.teams.groupOf(turn)) });
    }
    return step.beginDialog(FEATURE_DIALOG, { name: parsed.name, args: parsed.args } satisfies FeatureOptions);
  }

  /** What the command's dialog ended with: a command typed in a wizard, text typed instead of signing in, or done. */
  private async afterCommand(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isInterrupted(step.result)) return this.interrupted(step, step.result);
    if (isSuperseded(step.result)) return step.replaceDialog(ROOT_WATERFALL, values(step).resume ? { resume: values(step).resume } : undefined);
    return this.end(step);
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
}
