import { parseQuickCreate, type QuickCreateRequest } from '../../commands/quickCreate';
import { sendConfirmation } from '../../creation/confirmation';
import type { DraftStore } from '../../creation/drafts';
import type { DirectoryApi } from '../../graph/apis';
import { missingUsersText } from '../../graph/directory';
import type { UserGraph } from '../../features/runner';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from '../dialogLib';
import { settingsFromState } from './createReviewDialog';
import { GroupStep } from './groupStep';
import type { Interrupted, StepResult, WizardContext, WizardState } from './wizardState';
import { DEFAULT_OPTIONS } from '../../../reviews/settings';
import { isAppError } from '../../errors';
import { quoted } from '../../userText';

export { QUICK_CREATE_DIALOG } from '../dialogIds';
import { QUICK_CREATE_DIALOG } from '../dialogIds';

export interface QuickCreateOptions {
  args: string;
  context: WizardContext;
}

/**
 * Quick create (`review <target> …`): one line → settings → the same confirmation card as the wizard; it never
 * creates directly. A group name matching several groups asks which one (the wizard's group step).
 */
export class QuickCreateDialog extends ComponentDialog {
  constructor(private readonly drafts: DraftStore, private readonly graphFor: UserGraph) {
    super(QUICK_CREATE_DIALOG);
    this.addDialog(new GroupStep(graphFor));
  }

  protected override async onBeginDialog(inner: DialogContext, options?: QuickCreateOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('quick create needs its arguments');
    return this.tellingErrors(inner, () => this.begin(inner, options));
  }

  /** Graph refusals (a role missing, Graph busy) end the command with their plain-words message. */
  private async tellingErrors(inner: DialogContext, work: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
    try {
      return await work();
    } catch (error) {
      if (!isAppError(error) || error.code === 'SignInRequired') throw error;
      await inner.context.sendActivity(error.userMessage);
      return inner.endDialog();
    }
  }

  private async begin(inner: DialogContext, options: QuickCreateOptions): Promise<DialogTurnResult> {
    const parsed = parseQuickCreate(options.args);
    if (!parsed.ok) {
      await inner.context.sendActivity(`${parsed.message} Type \`help\` for examples, or \`create review\` for the step-by-step wizard.`);
      return inner.endDialog();
    }
    const directory = this.graphFor(inner.context).directory;
    const state = await this.stateFor(parsed.request, options.context, directory);
    if (typeof state === 'string') {
      await inner.context.sendActivity(state);
      return inner.endDialog();
    }
    Object.assign(inner.parent?.activeDialog?.state ?? {}, { quick: { state, context: options.context } });
    const target = parsed.request.target;
    if (target.kind !== 'group') return this.confirm(inner, state, options.context, directory);
    const matches = await directory.searchGroups(target.name, 8);
    const exact = matches.filter((g) => g.displayName.toLowerCase() === target.name.toLowerCase());
    const single = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (single) return this.confirm(inner, { ...state, group: single }, options.context, directory);
    if (matches.length === 0) {
      await inner.context.sendActivity(`No group's name starts with ${quoted(target.name)}. Check the name, or use \`create review\` to search step by step.`);
      return inner.endDialog();
    }
    return inner.beginDialog('wizard.group', { state, context: options.context, start: { phase: 'pick', extra: { matches, query: target.name } } });
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const result = await inner.continueDialog();
    if (result.status !== DialogTurnStatus.complete) return result;
    const step = result.result as StepResult;
    const saved = (inner.parent?.activeDialog?.state as { quick?: { context: WizardContext } } | undefined)?.quick;
    // A command typed instead of picking a group: the root dialog runs it; this quick create is left.
    if (step.outcome === 'interrupt') return inner.endDialog({ interrupted: true } satisfies Interrupted);
    if (step.outcome !== 'next' || !saved) {
      await inner.context.sendActivity(step.outcome === 'signIn' ? 'Your sign-in expired; please send the command again.' : 'Cancelled: nothing was created.');
      return inner.endDialog();
    }
    return this.tellingErrors(inner, async () => this.confirm(inner, step.state, saved.context, this.graphFor(inner.context).directory));
  }

  private async confirm(inner: DialogContext, state: WizardState, context: WizardContext, directory: DirectoryApi): Promise<DialogTurnResult> {
    await sendConfirmation(inner.context, directory, this.drafts, { settings: settingsFromState(state, context), requester: context.requester, today: context.today });
    return inner.endDialog();
  }

  /** The wizard state a parsed line stands for; a sentence for the user when something in it cannot be used. */
  private async stateFor(request: QuickCreateRequest, context: WizardContext, directory: DirectoryApi): Promise<WizardState | string> {
    const state: WizardState = {
      scopeKind: request.target.kind === 'allGroups' ? 'allGroupsGuests' : request.what?.kind ?? 'members',
      ...(request.what?.kind === 'inactive' ? { inactiveDays: request.what.days } : {}),
      schedule: {
        ...(request.frequency ? { frequency: request.frequency } : {}), ...(request.startDate ? { startDate: request.startDate } : {}),
        ...(request.durationDays ? { durationDays: request.durationDays } : {}), ...(request.end ? { end: request.end } : {}),
      },
      options: undefined,
    };
    if (request.autoApply !== undefined || request.defaultDecision !== undefined) {
      state.options = { ...DEFAULT_OPTIONS, ...(request.autoApply ? { autoApply: true } : {}), ...(request.defaultDecision ? { defaultDecision: request.defaultDecision } : {}) };
    }
    const reviewers = request.reviewers ?? { kind: 'owners' };
    if (reviewers.kind === 'owners' || reviewers.kind === 'managers' || reviewers.kind === 'self') state.reviewers = { kind: reviewers.kind };
    if (reviewers.kind === 'me') state.reviewers = { kind: 'users', users: [context.requester] };
    if (reviewers.kind === 'emails') {
      const { users, missing } = await directory.findUsersByEmail(reviewers.emails);
      if (missing.length > 0) return missingUsersText(missing);
      state.reviewers = { kind: 'users', users };
    }
    if (request.target.kind === 'thisTeam') {
      if (context.teamGroupId === undefined) return '`this team` only works in a team channel: there, the team\'s own group is reviewed. Here, name the group.';
      state.group = await directory.getGroup(context.teamGroupId);
    }
    return state;
  }
}
