import { completeSettings } from '../../../reviews/defaults';
import { MAX_EMAILS } from '../../../reviews/vocabulary';
import { parseQuickCreate, type QuickCreateRequest } from '../../commands/quickCreate';
import { settingsDraftFrom, type QuickCreateResolved } from '../../commands/quickCreateDraft';
import { sendConfirmation } from '../../creation/confirmation';
import type { DraftStore } from '../../creation/drafts';
import type { DirectoryApi } from '../../graph/apis';
import { missingUsersText } from '../../graph/directory';
import type { UserGraph } from '../../features/runner';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from '../dialogLib';
import { GroupStep } from './groupStep';
import type { Interrupted, StepOptions, StepResult, WizardContext } from './wizardState';
import { isAppError } from '../../errors';
import { quoted } from '../../userText';

export { QUICK_CREATE_DIALOG } from '../dialogIds';
import { QUICK_CREATE_DIALOG } from '../dialogIds';

export interface QuickCreateOptions {
  args: string;
  context: WizardContext;
}

/** Kept in the dialog's state while the user picks the group: the request and what Graph resolved so far. */
interface PickingGroup {
  request: QuickCreateRequest;
  resolved: QuickCreateResolved;
  context: WizardContext;
}

/**
 * Quick create (`review <target> …`): one line → the domain's settings draft → the same confirmation card as the
 * wizard; it never creates directly. This dialog only resolves what needs Graph (the reviewers' addresses, this
 * team's group, a group by name: several matches ask which one with the wizard's group step); settingsDraftFrom
 * does the rest.
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
    const { request } = parsed;
    const { context } = options;
    const directory = this.graphFor(inner.context).directory;
    const resolved = await this.resolve(request, context, directory);
    if (typeof resolved === 'string') {
      await inner.context.sendActivity(resolved);
      return inner.endDialog();
    }
    const target = request.target;
    if (target.kind !== 'group') return this.confirm(inner, { request, resolved, context }, directory);
    const matches = await directory.searchGroups(target.name, 8);
    const exact = matches.filter((g) => g.displayName.toLowerCase() === target.name.toLowerCase());
    const single = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (single) return this.confirm(inner, { request, resolved: { ...resolved, group: single }, context }, directory);
    if (matches.length === 0) {
      await inner.context.sendActivity(`No group's name starts with ${quoted(target.name)}. Check the name, or use \`create review\` to search step by step.`);
      return inner.endDialog();
    }
    Object.assign(inner.parent?.activeDialog?.state ?? {}, { quick: { request, resolved, context } satisfies PickingGroup });
    // The wizard's group step speaks WizardState: it starts empty and its answer is read back as `state.group`.
    return inner.beginDialog('wizard.group', { state: {}, context, start: { phase: 'pick', extra: { matches, query: target.name } } } satisfies StepOptions);
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const result = await inner.continueDialog();
    if (result.status !== DialogTurnStatus.complete) return result;
    const step = result.result as StepResult;
    const saved = (inner.parent?.activeDialog?.state as { quick?: Partial<PickingGroup> } | undefined)?.quick;
    // A command typed instead of picking a group: the root dialog runs it; this quick create is left.
    if (step.outcome === 'interrupt') return inner.endDialog({ interrupted: true } satisfies Interrupted);
    const group = step.state.group;
    if (step.outcome !== 'next' || !saved?.request || !saved.resolved || !saved.context || !group) {
      await inner.context.sendActivity(step.outcome === 'signIn' ? 'Your sign-in expired; please send the command again.' : 'Cancelled: nothing was created.');
      return inner.endDialog();
    }
    const picked: PickingGroup = { request: saved.request, resolved: { ...saved.resolved, group }, context: saved.context };
    return this.tellingErrors(inner, async () => this.confirm(inner, picked, this.graphFor(inner.context).directory));
  }

  private async confirm(inner: DialogContext, { request, resolved, context }: PickingGroup, directory: DirectoryApi): Promise<DialogTurnResult> {
    const settings = completeSettings(settingsDraftFrom(request, resolved), context.requester, context.today);
    await sendConfirmation(inner.context, directory, this.drafts, { settings, requester: context.requester, today: context.today });
    return inner.endDialog();
  }

  /** What only Graph knows: the users behind the addresses, this team's group; a sentence for the user when it cannot be used. */
  private async resolve(request: QuickCreateRequest, context: WizardContext, directory: DirectoryApi): Promise<QuickCreateResolved | string> {
    const resolved: QuickCreateResolved = { requester: context.requester };
    if (request.reviewers?.kind === 'emails') {
      // The lookup reads at most MAX_EMAILS addresses: more would be dropped without a word.
      if (request.reviewers.emails.length > MAX_EMAILS) return `Name at most ${MAX_EMAILS} reviewers by address (there are ${request.reviewers.emails.length}).`;
      const { users, missing } = await directory.findUsersByEmail(request.reviewers.emails);
      if (missing.length > 0) return missingUsersText(missing);
      resolved.reviewers = users;
    }
    if (request.target.kind === 'thisTeam') {
      if (context.teamGroupId === undefined) return '`this team` only works in a team channel: there, the team\'s own group is reviewed. Here, name the group.';
      resolved.group = await directory.getGroup(context.teamGroupId);
    }
    return resolved;
  }
}
