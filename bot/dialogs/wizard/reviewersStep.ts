import type { TurnContext } from 'botbuilder';
import type { ReviewerChoice, UserRef } from '../../../reviews/settings';
import { MAX_EMAILS, parseEmails } from '../../../reviews/vocabulary';
import { missingUsersText } from '../../graph/directory';
import type { UserGraph } from '../../features/runner';
import { quoted } from '../../userText';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';

type Phase = 'choose' | 'people' | 'fallback';

/**
 * Step 3: who reviews — group owners, each user's manager, named people, or everyone for themselves. Owners
 * and managers need a fallback reviewer for groups without owners / users without a manager (default: you).
 */
export class ReviewersStep extends WizardStep<Phase> {
  protected readonly firstPhase = 'choose' as const;

  constructor(private readonly graphFor: UserGraph) {
    super('wizard.reviewers');
  }

  protected prompt(turn: TurnContext, data: StepData<Phase>): Promise<void> {
    const allGroups = data.state.scopeKind === 'allGroupsGuests';
    if (data.phase === 'people') {
      return this.sendChoices(turn, data, { title: 'Which people review?', text: 'Type their email addresses, separated by commas.', choices: [] });
    }
    if (data.phase === 'fallback') {
      const who = data.state.reviewers?.kind === 'managers' ? 'a user has no manager' : allGroups ? 'a group has no owner' : 'the group has no owner';
      return this.sendChoices(turn, data, {
        title: 'Fallback reviewer',
        text: `Who reviews when ${who}? Choose yourself or type email addresses.`,
        choices: [{ title: `Me (${data.context.requester.displayName})`, value: 'me' }],
      });
    }
    return this.sendChoices(turn, data, {
      title: 'New access review · 3 of 5: who reviews?',
      text: 'Choose the reviewers.',
      choices: [
        { title: allGroups ? 'The owners of each group' : 'The group\'s owners', value: 'owners' },
        { title: 'Each user\'s manager', value: 'managers' },
        { title: 'Specific people', value: 'users' },
        { title: 'Everyone reviews their own access', value: 'self' },
      ],
    });
  }

  protected async handle(input: StepInput, data: StepData<Phase>, turn: TurnContext): Promise<StepReply<Phase>> {
    const answer = (input.choice ?? input.text).trim();
    if (data.phase === 'choose') {
      const kind = ({ owners: 'owners', managers: 'managers', users: 'users', self: 'self', 'specific people': 'users', me: 'self' } as Record<string, string>)[answer.toLowerCase()];
      if (kind === 'self') return { kind: 'done', state: { ...data.state, reviewers: { kind: 'self' }, fallbackReviewers: [] } };
      if (kind === 'users') return { kind: 'phase', phase: 'people' };
      if (kind === 'owners' || kind === 'managers') return { kind: 'phase', phase: 'fallback', state: { ...data.state, reviewers: { kind } as ReviewerChoice } };
      return { kind: 'retry', problem: 'Choose owners, managers, specific people or self.' };
    }
    if (data.phase === 'fallback' && answer.toLowerCase() === 'me') {
      return { kind: 'done', state: { ...data.state, fallbackReviewers: [data.context.requester] } };
    }
    const users = await this.resolve(answer, turn);
    if (typeof users === 'string') return { kind: 'retry', problem: users };
    if (data.phase === 'people') return { kind: 'done', state: { ...data.state, reviewers: { kind: 'users', users }, fallbackReviewers: [] } };
    return { kind: 'done', state: { ...data.state, fallbackReviewers: users } };
  }

  /** The users behind typed emails, or the reason they cannot all be used. */
  private async resolve(text: string, turn: TurnContext): Promise<UserRef[] | string> {
    const { emails, invalid } = parseEmails(text);
    if (invalid.length > 0) return `${quoted(invalid[0] ?? '')} is not an email address.`;
    if (emails.length === 0) return 'Type at least one email address.';
    if (emails.length > MAX_EMAILS) return `At most ${MAX_EMAILS} people, please.`;
    const { users, missing } = await this.graphFor(turn).directory.findUsersByEmail(emails);
    return missing.length > 0 ? missingUsersText(missing) : users;
  }

  protected override previousPhase(phase: Phase): Phase | undefined {
    return phase === 'choose' ? undefined : 'choose';
  }

  protected help(data: StepData<Phase>): string {
    if (data.phase === 'fallback') return 'Fallback reviewers get the items nobody else can review. Choose yourself or type email addresses.';
    return 'Owners: the group\'s owners review everyone. Managers: each user\'s manager reviews them. Specific people: the addresses you type. ' +
      'Self: each person says whether they still need the access.';
  }
}
