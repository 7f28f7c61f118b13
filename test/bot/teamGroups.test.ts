import { TurnContext, TestAdapter } from 'botbuilder';
import { createLogger } from '../../bot/logger';
import { TeamGroups } from '../../bot/teamGroups';

/** "this team": the team's group from the activity (install events), else the connector, cached per team (issue 10, item 1). */

const turnWith = (conversationType: string, team?: Record<string, string>): TurnContext =>
  new TurnContext(new TestAdapter(), {
    type: 'message', id: 'm1', conversation: { id: '19:general@thread.tacv2', conversationType, isGroup: true, name: '' },
    channelData: team === undefined ? {} : { team }, from: { id: '29:a', name: 'A' }, recipient: { id: '28:bot', name: 'Bot' },
  });

function groups(answers: Record<string, string | undefined | Error>): { teams: TeamGroups; asked: string[] } {
  const asked: string[] = [];
  const lookup = (_turn: TurnContext, teamId: string): Promise<string | undefined> => {
    asked.push(teamId);
    const answer = answers[teamId];
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { teams: new TeamGroups(lookup, createLogger('silent')), asked };
}

test('a channel message (team { id, name }): asked once, then cached', async () => {
  const { teams, asked } = groups({ 'team-1': 'group-1' });
  expect(await teams.groupOf(turnWith('channel', { id: 'team-1', name: 'Sales Team' }))).toBe('group-1');
  expect(await teams.groupOf(turnWith('channel', { id: 'team-1', name: 'Sales Team' }))).toBe('group-1');
  expect(asked).toEqual(['team-1']);
});

test('an install event carries aadGroupId: no question, and later messages use it', async () => {
  const { teams, asked } = groups({});
  expect(await teams.groupOf(turnWith('channel', { id: 'team-2', name: 'Finance', aadGroupId: 'group-2' }))).toBe('group-2');
  expect(await teams.groupOf(turnWith('channel', { id: 'team-2', name: 'Finance' }))).toBe('group-2');
  expect(asked).toEqual([]);
});

test('outside channels there is no team; a failed or empty look-up is no group (and is asked again next time)', async () => {
  const { teams, asked } = groups({ broken: new Error('connector 503'), empty: undefined });
  expect(await teams.groupOf(turnWith('personal'))).toBeUndefined();
  expect(await teams.groupOf(turnWith('groupChat'))).toBeUndefined();
  expect(await teams.groupOf(turnWith('channel', { id: 'broken', name: 'X' }))).toBeUndefined();
  expect(await teams.groupOf(turnWith('channel', { id: 'broken', name: 'X' }))).toBeUndefined();
  expect(await teams.groupOf(turnWith('channel', { id: 'empty', name: 'Y' }))).toBeUndefined();
  expect(asked).toEqual(['broken', 'broken', 'empty']);
});
