import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from './logger';
import { scopeOf, teamsContextOf } from './turn';

/** The connector's answer about a team: its Microsoft 365 group (GET /v3/teams/{teamId}, TeamDetails). */
export type TeamDetailsLookup = (turn: TurnContext, teamId: string) => Promise<string | undefined>;

/** Production: the Bot Connector's team details, with the bot's own credentials (botbuilder's TeamsInfo). */
export const connectorTeamDetails: TeamDetailsLookup = async (turn, teamId) => {
  const details = await TeamsInfo.getTeamDetails(turn, teamId);
  return typeof details.aadGroupId === 'string' && details.aadGroupId !== '' ? details.aadGroupId : undefined;
};

/** Teams are few and their groups never change: a bounded in-memory cache is enough. */
const MAX_CACHED = 5000;

/**
 * The Microsoft 365 group behind the team a channel turn happens in ("this team"). Teams puts `aadGroupId` on
 * installation and conversationUpdate events only; a channel message or card press carries the team as
 * `{ id, name }`. So: the activity's own value when there, else the connector's team details, cached per team.
 * A failed look-up answers undefined (the user is told `this team` cannot be used, never a wrong group).
 */
export class TeamGroups {
  private readonly cache = new Map<string, string>();

  constructor(private readonly lookup: TeamDetailsLookup, private readonly log: Logger) {}

  async groupOf(turn: TurnContext): Promise<string | undefined> {
    if (scopeOf(turn) !== 'channel') return undefined;
    const { teamId, aadGroupId } = teamsContextOf(turn);
    if (teamId === undefined) return undefined;
    if (aadGroupId !== undefined) return this.remember(teamId, aadGroupId);
    const cached = this.cache.get(teamId);
    if (cached !== undefined) return cached;
    try {
      const found = await this.lookup(turn, teamId);
      return found === undefined ? undefined : this.remember(teamId, found);
    } catch (error) {
      this.log.warn({ err: error, activityId: turn.activity.id }, 'could not read the team\'s details from the connector');
      return undefined;
    }
  }

  private remember(teamId: string, groupId: string): string {
    if (this.cache.size >= MAX_CACHED && !this.cache.has(teamId)) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(teamId, groupId);
    return groupId;
  }
}
