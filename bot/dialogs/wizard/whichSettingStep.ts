import type { TurnContext } from 'botbuilder';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';
import type { StepId } from './wizardState';

const SETTINGS: Array<{ title: string; step: StepId; words: string[] }> = [
  { title: 'What to review', step: 'wizard.scope', words: ['what', 'scope'] },
  { title: 'The group', step: 'wizard.group', words: ['group'] },
  { title: 'Who reviews', step: 'wizard.reviewers', words: ['reviewers', 'who'] },
  { title: 'When and how often', step: 'wizard.schedule', words: ['when', 'schedule', 'recurrence', 'duration'] },
  { title: 'Settings and name', step: 'wizard.settings', words: ['settings', 'name', 'options'] },
];

/** From the confirmation card's "Change a setting": which part of the review to change. */
export class WhichSettingStep extends WizardStep<'ask'> {
  protected readonly firstPhase = 'ask' as const;

  constructor() {
    super('wizard.which');
  }

  /** The parts of this review that can change (an all-groups review has no group). */
  private settingsFor(data: StepData<'ask'>): typeof SETTINGS {
    return SETTINGS.filter((s) => s.step !== 'wizard.group' || data.state.scopeKind !== 'allGroupsGuests');
  }

  protected prompt(turn: TurnContext, data: StepData<'ask'>): Promise<void> {
    const choices = this.settingsFor(data).map(({ title, step }) => ({ title, value: step }));
    return this.sendChoices(turn, data, { title: 'Change a setting', text: 'What would you like to change?', choices });
  }

  protected handle(input: StepInput, data: StepData<'ask'>): Promise<StepReply<'ask'>> {
    const answer = (input.choice ?? input.text).toLowerCase();
    const found = this.settingsFor(data).find((s) => s.step === answer || s.words.includes(answer));
    if (!found) return Promise.resolve({ kind: 'retry', problem: 'Choose what, group, reviewers, when or settings.' });
    return Promise.resolve({ kind: 'done', state: { ...data.state, changeStep: found.step } });
  }

  protected help(): string {
    return 'Pick the part to change; you answer only that part again, then get a new confirmation.';
  }
}
