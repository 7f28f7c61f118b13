import { completeSettings } from '../../../reviews/defaults';
import { MAX_EMAILS } from '../../../reviews/vocabulary';
import { parseQuickCreate, type QuickCreateRequest } from '../../commands/quickCreate';
import { settingsDraftFrom, type QuickCreateResolved } from '../../commands/quickCreateDraft';
import { sendConfirmation } from '../../creation/confirmation';
import type { DraftStore } from '../../creation/drafts';
import type { DirectoryApi } from '../../graph/apis';
import { missingUsersText } from '../../graph/directory';
import type { UserGraph } from '../../features/runner';
import type { DialogContext, DialogTurnResult } from '../dialogLib';
import { SignedInDialog, type SignInPolicy } from '../signedInDialog';
import { GroupStep } from './groupStep';
import type { Interrupted, StepOptions, StepResult, WizardContext } from './wizardState';
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

/** The sign-in policy's point for "confirm the picked group" (after a renewed sign-in, confirm again). */
const CONFIRM_PICKED = 'confirmPicked';

/**
 * Quick create (`review <target> …`): one line → the domain's settings draft → the same confirmation card as the
 * wizard; it never creates directly. This dialog only resolves what needs Graph (the reviewers' addresses, this
 * team's group, a group by name: several matches ask which one with the wizard's group step); settingsDraftFrom
 * does the rest. Sign-in and Graph's refusals follow SignedInDialog's policy.
 */
export class QuickCreateDialog extends SignedInDialog<QuickCreateOptions> {
  constructor(private readonly drafts: DraftStore, private readonly graphFor: UserGraph, policy: SignInPolicy) {
    super(QUICK_CREATE_DIALOG, policy);
    this.addDialog(new GroupStep(graphFor));
  }

  protected override start(inner: DialogContext, options: QuickCreateOptions): Promise<DialogTurnResult> {
    return this.begin(inner, options);
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
    if (target.kind !== 'group') return this.confirm(inner, { request, resolved, context });
    const matches = await directory.searchGroups(target.name, 8);
    const exact = matches.filter((g) => g.displayName.toLowerCase() === target.name.toLowerCase());
    const single = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (single) return this.confirm(inner, { request, resolved: { ...resolved, group: single }, context });
    if (matches.length === 0) {
      await inner.context.sendActivity(`No group's name starts with ${quoted(target.name)}. Check the name, or use \`create review\` to search step by step.`);
      return inner.endDialog();
    }
    this.ownState(inner).quick = { request, resolved, context } satisfies PickingGroup;
    // The wizard's group step speaks WizardState: it starts empty and its answer is read back as `state.group`.
    return inner.beginDialog('wizard.group', {
      state: {}, context, start: { phase: 'pick', extra: { matches, query: target.name } }, canGoBack: false, numbered: false,
    } satisfies StepOptions);
  }

  protected override async childDone(inner: DialogContext, result: unknown): Promise<DialogTurnResult> {
    const step = result as StepResult;
    // A command typed instead of picking a group: the root dialog runs it; this quick create is left.
    if (step.outcome === 'interrupt') return inner.endDialog({ interrupted: true } satisfies Interrupted);
    const group = step.state.group;
    const saved = this.ownState(inner).quick as PickingGroup | undefined;
    if (step.outcome !== 'next' || !saved || !group) return this.tellAndEnd(inner, 'Cancelled: nothing was created.');
    this.ownState(inner).quick = { ...saved, resolved: { ...saved.resolved, group } } satisfies PickingGroup;
    return this.confirmPicked(inner);
  }

  protected override resume(inner: DialogContext, point: string): Promise<DialogTurnResult> {
    return point === CONFIRM_PICKED ? this.confirmPicked(inner) : super.resume(inner, point);
  }

  private confirmPicked(inner: DialogContext): Promise<DialogTurnResult> {
    return this.attempt(inner, CONFIRM_PICKED, async () => {
      const picked = this.ownState(inner).quick as PickingGroup;
      return this.confirm(inner, picked);
    });
  }

  private async confirm(inner: DialogContext, { request, resolved, context }: PickingGroup): Promise<DialogTurnResult> {
    const settings = completeSettings(settingsDraftFrom(request, resolved), context.requester, context.today);
    await sendConfirmation(inner.context, this.graphFor(inner.context), this.drafts, { settings, requester: context.requester, today: context.today });
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
