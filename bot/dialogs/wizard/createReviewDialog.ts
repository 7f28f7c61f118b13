import { completeSettings, groupNameOf, ownTexts } from '../../../reviews/defaults';
import type { ReviewSettings } from '../../../reviews/settings';
import { sendConfirmation } from '../../creation/confirmation';
import { isAppError } from '../../errors';
import type { DraftStore } from '../../creation/drafts';
import type { UserGraph } from '../../features/runner';
import type { DialogContext, DialogTurnResult } from '../dialogLib';
import { SignedInDialog, type SignInPolicy } from '../signedInDialog';
import { scopeOf } from './wizardScope';
import { applies, STEP_IDS, type Interrupted, type StepId, type StepOptions, type StepResult, type WizardContext, type WizardState } from './wizardState';
import type { WizardStep } from './wizardStep';

export { CREATE_REVIEW_DIALOG } from '../dialogIds';
import { CREATE_REVIEW_DIALOG } from '../dialogIds';
const WHICH = 'wizard.which';
/** The sign-in policy's point for "send the confirmation" (after a renewed sign-in, confirm rather than ask again). */
const CONFIRM = 'confirm';

/** Where the wizard is; kept in the dialog's state. */
interface Progress {
  step: StepId | typeof WHICH;
  state: WizardState;
  context: WizardContext;
  /** Changing one setting of an existing draft: finish after that step, keep the draft's id. */
  draftId?: string;
}

export interface CreateReviewOptions {
  context: WizardContext;
  state?: WizardState;
  /** Change one setting of this draft (asks which first). */
  draftId?: string;
  /** Ask this question first (resuming after a command typed in the middle). */
  resumeAt?: StepId | typeof WHICH;
}

/** Everything the wizard has chosen, as complete settings (defaults for what was not asked). */
export function settingsFromState(state: WizardState, context: WizardContext): ReviewSettings {
  return completeSettings({
    scope: scopeOf(state), reviewers: state.reviewers, fallbackReviewers: state.fallbackReviewers, schedule: state.schedule,
    options: state.options, name: state.name, descriptionForReviewers: state.descriptionForReviewers, formerGroupNames: state.formerGroupNames,
  }, context.requester, context.today);
}

/**
 * The wizard's state for an existing draft (to change one of its settings). Generated texts are left out, so they are
 * generated again from the changed answers; the requester's own are kept. The group reviewed now is remembered
 * among the former ones: if the change replaces it, an own text still naming it is flagged.
 */
export function stateFromSettings(settings: ReviewSettings): WizardState {
  const scope = settings.scope;
  const current = groupNameOf(scope);
  const formerGroupNames = [...(settings.formerGroupNames ?? []), ...(current === undefined ? [] : [current])];
  return {
    scopeKind: scope.kind,
    ...(scope.kind === 'allGroupsGuests' ? {} : { group: scope.group }),
    ...(scope.kind === 'inactive' ? { inactiveDays: scope.inactiveDays } : {}),
    reviewers: settings.reviewers, fallbackReviewers: settings.fallbackReviewers, schedule: settings.schedule,
    options: settings.options, ...ownTexts(settings),
    ...(formerGroupNames.length > 0 ? { formerGroupNames } : {}),
  };
}

/**
 * The creation wizard (`create review`): one dialog per step, in order, skipping steps that do not apply;
 * `back` returns to the previous step, `cancel` leaves; signing in (first, and again when a token expires
 * mid-way: the step is asked again) is the policy of SignedInDialog. It ends with the confirmation card (step 6).
 * With a draft it changes one setting and confirms again.
 */
export class CreateReviewDialog extends SignedInDialog<CreateReviewOptions> {
  constructor(steps: WizardStep[], private readonly drafts: DraftStore, private readonly graphFor: UserGraph, policy: SignInPolicy) {
    super(CREATE_REVIEW_DIALOG, policy);
    for (const step of steps) this.addDialog(step);
  }

  private progress(inner: DialogContext): Progress {
    const { progress } = this.ownState(inner) as { progress?: Progress };
    if (!progress) throw new Error('wizard progress missing');
    return progress;
  }

  protected override start(inner: DialogContext, options: CreateReviewOptions): Promise<DialogTurnResult> {
    const progress: Progress = {
      step: options.resumeAt ?? (options.draftId ? WHICH : 'wizard.scope'), state: options.state ?? {}, context: options.context, draftId: options.draftId,
    };
    this.ownState(inner).progress = progress;
    return this.runStep(inner, progress);
  }

  protected override childDone(inner: DialogContext, result: unknown): Promise<DialogTurnResult> {
    return this.afterStep(inner, this.progress(inner), result as StepResult);
  }

  protected override resume(inner: DialogContext, point: string): Promise<DialogTurnResult> {
    return point === CONFIRM ? this.finish(inner, this.progress(inner)) : super.resume(inner, point);
  }

  private runStep(inner: DialogContext, progress: Progress): Promise<DialogTurnResult> {
    // Back leads to the previous step, or (changing a draft) to "which setting?"; on the first question, nowhere.
    const canGoBack = progress.draftId !== undefined ? progress.step !== WHICH : this.neighbour(progress.step, progress.state, -1) !== undefined;
    return inner.beginDialog(progress.step, { state: progress.state, context: progress.context, canGoBack } satisfies StepOptions);
  }

  private async afterStep(inner: DialogContext, progress: Progress, result: StepResult): Promise<DialogTurnResult> {
    switch (result.outcome) {
      case 'cancel':
        await inner.context.sendActivity('Cancelled: nothing was created.');
        return inner.endDialog();
      case 'interrupt':
        return inner.endDialog({
          interrupted: true, resume: { state: progress.state, context: progress.context, step: progress.step, ...(progress.draftId ? { draftId: progress.draftId } : {}) },
        } satisfies Interrupted);
      case 'back': {
        if (progress.draftId) {
          // Changing a draft: back leads to "which setting?", and from there to the confirmation again.
          if (progress.step === WHICH) return this.finish(inner, progress);
          progress.step = WHICH;
          return this.runStep(inner, progress);
        }
        progress.step = this.neighbour(progress.step, progress.state, -1) ?? progress.step;
        return this.runStep(inner, progress);
      }
      case 'next': {
        progress.state = { ...result.state };
        if (progress.step === WHICH) {
          progress.step = progress.state.changeStep ?? 'wizard.settings';
          delete progress.state.changeStep;
          return this.runStep(inner, progress);
        }
        const next = this.nextAfterChange(progress) ?? (progress.draftId ? undefined : this.neighbour(progress.step, progress.state, +1));
        if (next === undefined) return this.finish(inner, progress);
        progress.step = next;
        return this.runStep(inner, progress);
      }
    }
  }

  /** After changing the scope of a draft, the questions that depend on it must be answered again. */
  private nextAfterChange(progress: Progress): StepId | undefined {
    if (!progress.draftId || progress.step !== 'wizard.scope') return undefined;
    if (progress.state.scopeKind === 'inactive' && progress.state.inactiveDays === undefined) return 'wizard.inactiveDays';
    if (progress.state.scopeKind !== 'allGroupsGuests' && progress.state.group === undefined) return 'wizard.group';
    return undefined;
  }

  /** The next (or previous) step that applies to the answers so far. */
  private neighbour(step: StepId | typeof WHICH, state: WizardState, direction: 1 | -1): StepId | undefined {
    let index = STEP_IDS.indexOf(step as StepId) + direction;
    while (index >= 0 && index < STEP_IDS.length) {
      const candidate = STEP_IDS[index];
      if (candidate && applies(candidate, state)) return candidate;
      index += direction;
    }
    return undefined;
  }

  private finish(inner: DialogContext, progress: Progress): Promise<DialogTurnResult> {
    const settings = settingsFromState(progress.state, progress.context);
    return this.attempt(inner, CONFIRM, async () => {
      try {
        await sendConfirmation(inner.context, this.graphFor(inner.context), this.drafts, {
          settings, requester: progress.context.requester, today: progress.context.today, draftId: progress.draftId,
        });
      } catch (error) {
        if (!isAppError(error) || error.code === 'SignInRequired') throw error;
        await inner.context.sendActivity(`I could not prepare the confirmation: ${error.userMessage}`);
      }
      return inner.endDialog();
    });
  }
}
