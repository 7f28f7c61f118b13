import type { TurnContext } from 'botbuilder';
import { REVIEW_SUMMARY } from '../../cards/verbs';
import { replyActivity, type Feature } from '../features/feature';
import type { FeatureRunner } from '../features/runner';
import type { Logger } from '../logger';
import { argsOf, invokeReply, opensBelow, type VerbHandlers } from '.';

/**
 * The `summary` card buttons (Refresh, a digest row's Summary, a choice of reviews, a channel's Continue as me): the
 * command runs again as the presser (their own token; Universal Actions SSO signs them in first). The new card is the
 * invoke response, which Teams shows the presser, and replaces the posted message for everyone else too
 * (`updateActivity` on the card's activity, `replyToId`). A text answer (refused, deleted) goes to the presser only
 * and leaves the posted card as it was.
 */
export function summaryActions(feature: Feature | undefined, runner: FeatureRunner, log: Logger): VerbHandlers {
  if (feature === undefined) return {};
  return {
    [REVIEW_SUMMARY]: {
      needsGraph: true,
      async handle(turn: TurnContext, data: unknown) {
        const reply = await runner.run(feature, turn, argsOf(data));
        if (!('card' in reply)) return invokeReply(reply);
        if (opensBelow(data)) {
          await turn.sendActivity(replyActivity(reply));
          return invokeReply({ text: 'Opened below.' });
        }
        const id = turn.activity.replyToId;
        if (id !== undefined && id !== '') {
          try {
            await turn.updateActivity({ ...replyActivity(reply), id });
          } catch (error) {
            // The presser still gets the new card; the others keep the old one until the next Refresh.
            log.warn({ err: error, activityId: id }, 'could not update the summary card in place');
          }
        }
        return invokeReply(reply);
      },
    },
  };
}
