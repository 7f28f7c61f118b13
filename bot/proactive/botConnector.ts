import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';

/** The two connector calls a proactive post needs; the sender's seam (unit tests pass a fake). */
export interface ProactiveConnector {
  /** Posts `activity` to the reference's conversation; resolves with the id Teams gave the message. */
  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string>;
  /** Replaces message `activityId` (PUT). */
  update(reference: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void>;
}

/** The proactive turn never reached the connector (a failed token request, a middleware that threw): nothing was posted. */
export class NotSentError extends Error {
  constructor(cause: unknown) {
    super('the proactive turn failed before anything was sent', { cause });
    this.name = 'NotSentError';
  }
}

/** The policy of @azure/core-rest-pipeline that retries inside botbuilder's connector client (connectorFailure.ts). */
const BUILT_IN_RETRY_POLICY = 'defaultRetryPolicy';

interface PipelineOwner { client?: { pipeline?: { removePolicy?(options: { name: string }): unknown } } }

/**
 * The connector through the bot's CloudAdapter: `continueConversationAsync` with the bot's app id (its own
 * identity, no user), then `sendActivity` / `updateActivity` on that turn. The connector client of these turns
 * loses its built-in retry policy, so every request passes the sender's rate limits and a POST is never resent
 * blindly. The turn logic never throws (the adapter's onTurnError would swallow the error and apologise into
 * the channel): the outcome is carried out of the turn instead.
 */
export function botbuilderConnector(adapter: Pick<CloudAdapter, 'continueConversationAsync' | 'ConnectorClientKey'>, botAppId: string,
  log: Logger): ProactiveConnector {
  let warned = false;
  const withoutBuiltInRetries = (turn: TurnContext): void => {
    const owner = turn.turnState.get<PipelineOwner | undefined>(adapter.ConnectorClientKey);
    const pipeline = owner?.client?.pipeline;
    if (typeof pipeline?.removePolicy === 'function') {
      pipeline.removePolicy({ name: BUILT_IN_RETRY_POLICY });
    } else if (!warned) {
      warned = true;
      log.warn('proactive sender: the connector client has no pipeline to remove its built-in retries from; botbuilder will retry on its own');
    }
  };
  const run = async <T>(reference: Partial<ConversationReference>, work: (turn: TurnContext) => Promise<T>): Promise<T> => {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    try {
      await adapter.continueConversationAsync(botAppId, reference, async (turn) => {
        try {
          withoutBuiltInRetries(turn);
          outcome = { ok: true, value: await work(turn) };
        } catch (error) {
          outcome = { ok: false, error };
        }
      });
    } catch (error) {
      if (outcome === undefined) throw new NotSentError(error);
    }
    if (outcome === undefined) throw new NotSentError(new Error('the proactive turn logic did not run'));
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
  return {
    send: (reference, activity) => run(reference, async (turn) => {
      const response = await turn.sendActivity(activity);
      if (response?.id === undefined || response.id === '') throw new Error('the connector accepted the post but returned no id');
      return response.id;
    }),
    update: (reference, activityId, activity) => run(reference, async (turn) => {
      await turn.updateActivity({ ...activity, id: activityId });
    }),
  };
}
