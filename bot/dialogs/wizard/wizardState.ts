import type {
  GroupRef, ReviewerChoice, ReviewOptions, ReviewSchedule, UserRef,
} from '../../../reviews/settings';
import type { Scope } from '../../turn';

/** What the wizard has gathered so far (kept in dialog state, so a restart loses nothing). */
export interface WizardState {
  scopeKind?: 'members' | 'guests' | 'inactive' | 'allGroupsGuests';
  group?: GroupRef;
  inactiveDays?: number;
  reviewers?: ReviewerChoice;
  fallbackReviewers?: UserRef[];
  schedule?: Partial<ReviewSchedule>;
  options?: ReviewOptions;
  /** The requester's own texts; absent: generated from the answers (so they follow every change). */
  name?: string;
  descriptionForReviewers?: string;
  /** Changing a draft: the groups it reviewed so far (ReviewSettings.formerGroupNames), to flag own texts naming them. */
  formerGroupNames?: string[];
  /** Changing one setting of a draft: the step to run (chosen on the "Change a setting" card). */
  changeStep?: StepId;
}

/** Facts of the conversation the wizard runs in (fixed for its whole run). */
export interface WizardContext {
  scope: Scope;
  /** The team's Microsoft 365 group, when the wizard runs in a team ("this team"). */
  teamGroupId?: string;
  requester: UserRef;
  /** YYYY-MM-DD when the wizard started. */
  today: string;
}

export interface StepOptions {
  state: WizardState;
  context: WizardContext;
  /** Start in another phase than the first, with its scratch data (quick create's group choice). */
  start?: { phase: string; extra: Record<string, unknown> };
  /** False when `back` from this step's first phase leads nowhere (the wizard's first question, quick create's choice). */
  canGoBack?: boolean;
  /** Titles carry "New access review · N of 5" (false outside the wizard, e.g. quick create's group choice). */
  numbered?: boolean;
}

/**
 * How a step ended: go on, go back, leave, or the user typed a command that is no answer to this question (handle
 * it as that command). A token Graph refuses is not an outcome: SignInRequired goes up to the sign-in policy
 * (signedInDialog.ts), which signs in again and asks the same question.
 */
export interface StepResult {
  outcome: 'next' | 'back' | 'cancel' | 'interrupt';
  state: WizardState;
}

/** Where a wizard was when a typed command interrupted it: enough to ask the same question again afterwards. */
export interface WizardResume {
  state: WizardState;
  context: WizardContext;
  step: StepId | 'wizard.which';
  draftId?: string;
}

/** What a creation dialog ends with when a typed command interrupted it. */
export interface Interrupted {
  interrupted: true;
  /** How to resume the wizard after a one-answer command; absent: nothing to resume (the dialog is left). */
  resume?: WizardResume;
}

export const isInterrupted = (result: unknown): result is Interrupted =>
  typeof result === 'object' && result !== null && (result as { interrupted?: unknown }).interrupted === true;

/** The wizard's steps, in order; each is its own dialog. */
export const STEP_IDS = ['wizard.scope', 'wizard.inactiveDays', 'wizard.group', 'wizard.reviewers', 'wizard.schedule', 'wizard.settings'] as const;
export type StepId = (typeof STEP_IDS)[number];

/** "N of 5" of each step's questions (the inactive days are part of step 1; "which setting" has no number). */
export const STEP_NUMBERS: Readonly<Record<string, number>> = {
  'wizard.scope': 1, 'wizard.inactiveDays': 1, 'wizard.group': 2, 'wizard.reviewers': 3, 'wizard.schedule': 4, 'wizard.settings': 5,
};
export const STEP_COUNT = 5;

/** Steps that do not apply to the choices made so far are skipped (forwards and backwards). */
export function applies(step: StepId, state: WizardState): boolean {
  if (step === 'wizard.inactiveDays') return state.scopeKind === 'inactive';
  if (step === 'wizard.group') return state.scopeKind !== 'allGroupsGuests';
  return true;
}
