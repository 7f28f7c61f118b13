import type { TurnContext } from 'botbuilder';
import { INACTIVE_DAYS } from '../../../reviews/settings';
import { parseDays } from '../../../reviews/vocabulary';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';

/** Step 1b (inactive-user reviews only): inactive for how many days. */
export class InactiveDaysStep extends WizardStep<'ask'> {
  protected readonly firstPhase = 'ask' as const;

  constructor() {
    super('wizard.inactiveDays');
  }

  protected prompt(turn: TurnContext, data: StepData<'ask'>): Promise<void> {
    return this.sendChoices(turn, data, {
      title: 'Inactive for how many days?',
      text: `Users who have not signed in for this many days are reviewed (${INACTIVE_DAYS.min} to ${INACTIVE_DAYS.max}). Choose or type a number.`,
      choices: [30, 60, 90, 180].map((days) => ({ title: `${days} days`, value: String(days) })),
    });
  }

  protected handle(input: StepInput, data: StepData<'ask'>): Promise<StepReply<'ask'>> {
    const days = parseDays(input.choice ?? input.text, INACTIVE_DAYS);
    if (days === undefined) {
      return Promise.resolve({ kind: 'retry', problem: `The number of days must be a whole number from ${INACTIVE_DAYS.min} to ${INACTIVE_DAYS.max}.` });
    }
    return Promise.resolve({ kind: 'done', state: { ...data.state, inactiveDays: days } });
  }

  protected help(): string {
    return 'A user is inactive when their last sign-in is older than this many days when the review starts; only they are reviewed.';
  }
}
