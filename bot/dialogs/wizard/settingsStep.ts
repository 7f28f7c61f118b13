import type { TurnContext } from 'botbuilder';
import { renderSettingsFormCard, unescapeCardText } from '../../../cards';
import { generateName, defaultDescriptions } from '../../../reviews/defaults';
import {
  DEFAULT_OPTIONS, type DefaultDecision, type DeniedGuestAction, type ReviewOptions, type ReviewScope,
} from '../../../reviews/settings';
import { scopeOf } from './wizardScope';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';

const DECISIONS: DefaultDecision[] = ['none', 'approve', 'deny', 'recommendation'];
const GUEST_ACTIONS: DeniedGuestAction[] = ['remove', 'blockThenDelete'];
const ACCEPT = new Set(['next', 'ok', 'done', 'defaults', 'yes']);

/** A form value: toggles send 'true'/'false'; a missing toggle (hidden, e.g. auto-apply on a dynamic group) keeps the fallback. */
const flag = (value: unknown, fallback: boolean): boolean => (value === 'true' ? true : value === 'false' ? false : fallback);
const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  (typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback);

/** Step 5: the settings form (one Adaptive Card with sensible defaults). */
export class SettingsStep extends WizardStep<'form'> {
  protected readonly firstPhase = 'form' as const;

  constructor() {
    super('wizard.settings');
  }

  private current(data: StepData<'form'>): { options: ReviewOptions; name: string; description: string; scope: ReviewScope } {
    const scope = scopeOf(data.state);
    return {
      scope,
      options: data.state.options ?? DEFAULT_OPTIONS,
      name: data.state.name ?? generateName(scope, data.state.schedule?.frequency ?? 'once'),
      description: data.state.descriptionForReviewers ?? defaultDescriptions(scope).descriptionForReviewers,
    };
  }

  protected async prompt(turn: TurnContext, data: StepData<'form'>): Promise<void> {
    const { options, name, description, scope } = this.current(data);
    const title = this.titleFor(data, 'Settings');
    const card = renderSettingsFormCard({
      title, stepId: this.id, options, name, descriptionForReviewers: description, hint: this.hintFor(turn), problem: data.problem,
      isGuestScope: scope.kind === 'guests' || scope.kind === 'allGroupsGuests',
      isDynamicGroup: scope.kind !== 'allGroupsGuests' && scope.group.isDynamic === true,
    });
    // The form's Next/Back/Cancel: pressed buttons read as their titles on the answered card.
    await this.sendCard(turn, data, card, { title, choices: [{ title: 'Next', value: 'next' }, { title: 'Back', value: 'back' }, { title: 'Cancel', value: 'cancel' }] });
  }

  protected handle(input: StepInput, data: StepData<'form'>): Promise<StepReply<'form'>> {
    const { options, name, description } = this.current(data);
    const answer = (input.choice ?? input.text).toLowerCase();
    if (input.choice === undefined) {
      if (!ACCEPT.has(answer)) return Promise.resolve({ kind: 'retry', problem: 'Change the settings in the form and press Next, or type next to keep them.' });
      return Promise.resolve({ kind: 'done', state: { ...data.state, options, name, descriptionForReviewers: description } });
    }
    const f = input.fields;
    const newName = typeof f.name === 'string' ? unescapeCardText(f.name).trim() : name;
    if (newName === '' || newName.length > 256) return Promise.resolve({ kind: 'retry', problem: 'The name must have 1 to 256 characters.' });
    const newDescription = typeof f.descriptionForReviewers === 'string' ? unescapeCardText(f.descriptionForReviewers).trim() : description;
    if (newDescription.length > 256) return Promise.resolve({ kind: 'retry', problem: 'The description for reviewers can have at most 256 characters (mail cuts the rest).' });
    const chosen: ReviewOptions = {
      justificationRequired: flag(f.justificationRequired, options.justificationRequired),
      showRecommendations: flag(f.showRecommendations, options.showRecommendations),
      defaultDecision: oneOf(f.defaultDecision, DECISIONS, options.defaultDecision),
      autoApply: flag(f.autoApply, false),
      deniedGuests: oneOf(f.deniedGuests, GUEST_ACTIONS, options.deniedGuests),
      mailNotifications: flag(f.mailNotifications, options.mailNotifications),
      reminders: flag(f.reminders, options.reminders),
    };
    return Promise.resolve({ kind: 'done', state: { ...data.state, options: chosen, name: newName, descriptionForReviewers: newDescription } });
  }

  protected help(): string {
    return 'Justification: reviewers must say why they approve. Recommendations: reviewers see Approve/Deny suggestions from sign-in activity. ' +
      'If reviewers don\'t respond: what happens to items nobody reviewed. Auto-apply: results change the group when a run ends ' +
      '(with deny or recommendations, people nobody reviewed can lose access).';
  }
}
