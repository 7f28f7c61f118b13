import type { TurnContext } from 'botbuilder';
import { INACTIVE_DAYS } from '../../../reviews/settings';
import { quoted } from '../../userText';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';
import type { WizardState } from './wizardState';

type ScopeKind = NonNullable<WizardState['scopeKind']>;

const CHOICES: Array<{ title: string; value: ScopeKind; words: string[] }> = [
  { title: 'Members of a group', value: 'members', words: ['members', 'member', '1'] },
  { title: 'Guests of a group', value: 'guests', words: ['guests', 'guest', '2'] },
  { title: 'Guests in all Microsoft 365 groups', value: 'allGroupsGuests', words: ['all groups', 'all', '3'] },
  { title: 'Inactive users of a group', value: 'inactive', words: ['inactive', 'inactive users', '4'] },
];

/** Step 1: what to review. */
export class ScopeStep extends WizardStep<'ask'> {
  protected readonly firstPhase = 'ask' as const;

  constructor() {
    super('wizard.scope');
  }

  protected prompt(turn: TurnContext, data: StepData<'ask'>): Promise<void> {
    return this.sendChoices(turn, data, {
      title: 'New access review · 1 of 5: what to review?',
      text: 'Choose whose access is reviewed.',
      choices: CHOICES.map(({ title, value }) => ({ title, value })),
    });
  }

  protected handle(input: StepInput, data: StepData<'ask'>): Promise<StepReply<'ask'>> {
    const answer = (input.choice ?? input.text).toLowerCase();
    const found = CHOICES.find((c) => c.value.toLowerCase() === answer || c.words.includes(answer));
    if (!found) return Promise.resolve({ kind: 'retry', problem: `${quoted(answer, 40)} is not one of the choices: members, guests, all groups or inactive.` });
    const state: WizardState = { ...data.state, scopeKind: found.value };
    if (found.value === 'allGroupsGuests') delete state.group;
    return Promise.resolve({ kind: 'done', state });
  }

  protected help(): string {
    return 'Members: everyone in one group. Guests: only external (B2B) users of one group. All groups: the guests of every ' +
      `Microsoft 365 group, one review per group. Inactive: users of one group who have not signed in for ${INACTIVE_DAYS.min}–${INACTIVE_DAYS.max} days.`;
  }
}
