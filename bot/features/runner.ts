import type { TurnContext } from 'botbuilder';
import { isAppError } from '../errors';
import type { GraphApis } from '../graph/apis';
import type { GraphSeam } from '../graph/graphSeam';
import type { Logger } from '../logger';
import type { TeamGroups } from '../teamGroups';
import { scopeOf, userIdOf } from '../turn';
import type { Feature, FeatureReply } from './feature';

/** Graph as the turn's sender, with their token (never anyone else's, never the app's). */
export type UserGraph = (turn: TurnContext) => GraphApis;

/** The only way from a turn to Graph: the sender's object id into the seam's `forUser` (never the app's identity). */
export const userGraph = (seam: Pick<GraphSeam, 'forUser'>): UserGraph => (turn) => seam.forUser(userIdOf(turn));

/**
 * Runs a feature as the sending user: the Graph it gets acts with that user's own token. An AppError
 * becomes its user message; SignInRequired is left to the caller (it restarts sign-in); anything else is a bug
 * and goes to onTurnError.
 */
export class FeatureRunner {
  constructor(private readonly graphFor: UserGraph, private readonly log: Logger, private readonly teams: Pick<TeamGroups, 'groupOf'>) {}

  async run(feature: Feature, turn: TurnContext, args: string): Promise<FeatureReply> {
    try {
      const teamGroupId = await this.teams.groupOf(turn);
      return await feature.run({
        turn, scope: scopeOf(turn), userId: userIdOf(turn), args, graph: this.graphFor(turn), ...(teamGroupId === undefined ? {} : { teamGroupId }),
      });
    } catch (error) {
      if (!isAppError(error) || error.code === 'SignInRequired') throw error;
      this.log.info({ code: error.code, status: error.status, activityId: turn.activity.id }, 'feature failed with a user-facing error');
      return { text: error.userMessage };
    }
  }
}
