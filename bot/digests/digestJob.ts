import type { Activity } from 'botbuilder';
import { inReviewsList } from '../../reviews/status';
import type { Clock } from '../clock';
import { isAppError } from '../errors';
import { replyActivity } from '../features/feature';
import { digestCard, readDigest, readSummary, summaryCard } from '../features/summaryData';
import type { GraphApis } from '../graph/apis';
import type { Logger } from '../logger';
import type { Telemetry } from '../telemetry';
import { isProactiveSendError } from '../proactive/connectorFailure';
import type { ProactiveSender } from '../proactive/sender';
import type { DigestJob } from './scheduler';
import type { Subscription, SubscriptionStore } from './subscriptions';

export interface DigestJobDeps {
  /** Graph as the bot itself (client credentials, AccessReview.Read.All): scheduled work is the only user of it. */
  appGraph: GraphApis;
  /** Where a recurring review's ended run is recorded once its final card is out. */
  subscriptions: Pick<SubscriptionStore, 'markFinalRun'>;
  sender: Pick<ProactiveSender, 'post' | 'update'>;
  clock: Clock;
  log: Logger;
  /** `bot.digests.posted` (bot/telemetry); not counted when absent. */
  telemetry?: Pick<Telemetry, 'countDigest'>;
}

/**
 * A scheduled digest: read with the app identity what the channel subscribed to (a review's summary, or the digest of
 * the team group's active reviews: the channel rule of `summary`, never another group's review and never
 * per-principal data), render the same cards as `summary`, and post them, or update the period's card in place.
 * A review that has ended gets its final card and the subscription then drops out (`finished`); a review deleted
 * since gets one line saying so. A run of a recurring review that ended gets its final card once; the periods after
 * it are quiet until the next run starts.
 */
export function digestJob(deps: DigestJobDeps): DigestJob {
  async function card(subscription: Subscription): Promise<{ activity: Partial<Activity>; finished: boolean; endedRun?: string }> {
    const now = deps.clock.now();
    if (subscription.target.kind === 'all') {
      // Without the team's group the digest would list every review the app can read: nothing is posted instead.
      if (subscription.groupId === undefined) throw new Error(`subscription ${subscription.id} has no team group`);
      const data = await readDigest(deps.appGraph, { groupId: subscription.groupId });
      return { activity: replyActivity({ card: digestCard(data, { now, teamOnly: true }) }), finished: false };
    }
    const { definitionId, name } = subscription.target;
    try {
      const definition = await deps.appGraph.reviews.getDefinition(definitionId);
      const data = await readSummary(deps.appGraph, definition);
      const finished = !inReviewsList('active', data.status);
      // The series goes on but its latest run has ended: that run's final card.
      const endedRun = !finished && data.run !== undefined && !inReviewsList('active', data.run.status) ? data.run.id : undefined;
      return { activity: replyActivity({ card: summaryCard(data, { now }) }), finished, ...(endedRun === undefined ? {} : { endedRun }) };
    } catch (error) {
      if (!isAppError(error, 'NotFound')) throw error;
      return { activity: replyActivity({ text: `The review "${name}" no longer exists, so this channel's digest of it ends.` }), finished: true };
    }
  }

  return {
    async run(subscription, period, previous) {
      const { activity, finished, endedRun } = await card(subscription);
      const at = { subscriptionId: subscription.id, conversationId: subscription.conversationId, period: period.key };
      if (endedRun !== undefined && endedRun === subscription.finalRunId && previous.activityId === undefined) {
        deps.log.info({ ...at, runId: endedRun }, 'digest: the run ended and its final card is out; quiet until the next run');
        return { quiet: true };
      }
      if (endedRun !== undefined) await deps.subscriptions.markFinalRun(subscription.id, endedRun);
      if (previous.activityId !== undefined) {
        try {
          await deps.sender.update(subscription.conversationId, previous.activityId, activity);
          deps.log.info({ ...at, finished }, 'digest refreshed in place');
          deps.telemetry?.countDigest('refreshed');
          return { activityId: previous.activityId, finished };
        } catch (error) {
          // Someone deleted the card: post it again; any other failure is the scheduler's to retry.
          if (!isProactiveSendError(error, 'messageGone')) throw error;
        }
      }
      const { activityId } = await deps.sender.post(subscription.conversationId, activity);
      deps.log.info({ ...at, finished }, 'digest posted');
      deps.telemetry?.countDigest('posted');
      return { activityId, finished };
    },
  };
}
