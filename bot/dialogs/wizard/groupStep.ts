import type { TurnContext } from 'botbuilder';
import type { GroupRef } from '../../../reviews/settings';
import type { UserGraph } from '../../features/runner';
import { quoted } from '../../userText';
import { WizardStep, type StepData, type StepInput, type StepReply } from './wizardStep';

type Phase = 'ask' | 'pick';
const MAX_CHOICES = 8;

const label = (group: GroupRef): string =>
  `${group.displayName}${group.isDynamic ? ' (dynamic: auto-apply not supported)' : group.isAssignableToRole ? ' (role-assignable)' : ''}`;

/**
 * Step 2: which group. Free text is searched by display name (up to 8 choices); "this team" in a team uses
 * the team's own group. Dynamic and role-assignable groups are flagged.
 */
export class GroupStep extends WizardStep<Phase> {
  protected readonly firstPhase = 'ask' as const;

  constructor(private readonly graphFor: UserGraph) {
    super('wizard.group');
  }

  protected prompt(turn: TurnContext, data: StepData<Phase>): Promise<void> {
    if (data.phase === 'pick') {
      const matches = (data.extra.matches ?? []) as GroupRef[];
      return this.sendChoices(turn, data, {
        title: 'Which of these groups?',
        text: `Groups whose name starts with ${quoted(typeof data.extra.query === 'string' ? data.extra.query : '')}. Choose one, or type another name.`,
        choices: matches.map((group) => ({ title: label(group), value: group.id })),
      });
    }
    const inTeam = data.context.teamGroupId !== undefined;
    return this.sendChoices(turn, data, {
      title: 'New access review · 2 of 5: which group?',
      text: inTeam ? 'Type the group\'s name (or its beginning), or choose this team.' : 'Type the group\'s name, or its beginning.',
      choices: inTeam ? [{ title: 'This team', value: 'this team' }] : [],
    });
  }

  protected async handle(input: StepInput, data: StepData<Phase>, turn: TurnContext): Promise<StepReply<Phase>> {
    const answer = input.choice ?? input.text;
    const matches = (data.extra.matches ?? []) as GroupRef[];
    if (data.phase === 'pick') {
      const picked = matches.find((g) => g.id === answer) ?? matches.find((g) => g.displayName.toLowerCase() === answer.toLowerCase())
        ?? (/^\d$/.test(answer) ? matches[Number(answer) - 1] : undefined);
      if (picked) return { kind: 'done', state: { ...data.state, group: picked }, answered: picked.displayName };
    }
    if (answer.toLowerCase() === 'this team') {
      if (data.context.teamGroupId === undefined) return { kind: 'retry', problem: '"This team" only works in a team channel. Type the group\'s name.' };
      const group: GroupRef = await this.graphFor(turn).directory.getGroup(data.context.teamGroupId);
      return { kind: 'done', state: { ...data.state, group }, answered: `${group.displayName} (this team)` };
    }
    const query = answer.replace(/^["“”']|["“”']$/g, '').trim();
    if (query.length < 2) return { kind: 'retry', problem: 'Type at least two letters of the group\'s name.' };
    const found: GroupRef[] = await this.graphFor(turn).directory.searchGroups(query, MAX_CHOICES);
    if (found.length === 0) return { kind: 'retry', problem: `No group's name starts with ${quoted(query)}.` };
    const exact = found.filter((g) => g.displayName.toLowerCase() === query.toLowerCase());
    // A typed name says which group it found (`Fin` → Finance Apps) on the answered card.
    const single = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : undefined;
    if (single) return { kind: 'done', state: { ...data.state, group: single }, answered: single.displayName };
    return { kind: 'phase', phase: 'pick', extra: { matches: found, query } };
  }

  protected override previousPhase(phase: Phase): Phase | undefined {
    return phase === 'pick' ? 'ask' : undefined;
  }

  protected help(data: StepData<Phase>): string {
    return data.phase === 'pick'
      ? 'Choose the group to review, or type another name to search again.'
      : 'The review covers one group: type its display name (or how it begins) and I search the directory with your permissions.';
  }
}
