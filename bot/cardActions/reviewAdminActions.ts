import { REVIEW_ACTION_CANCEL, REVIEW_ACTION_CONFIRM } from '../../cards/verbs';
import { refusalFor } from '../../reviews/adminActions';
import { isAppError } from '../errors';
import { adminCard, nameOf, settingsOf, type AdminAction, type AdminActionStore, type AdminPayload } from '../features/reviewAdmin';
import type { UserGraph } from '../features/runner';
import type { GraphApis } from '../graph/apis';
import type { Logger } from '../logger';
import type { VerbHandlers } from '.';
import { cancelPending, claimAndAct, closingRules, confirmThenAct, type ActOutcome } from './confirmThenAct';


/** What a press came to: the answer, whether it is final (a later press repeats it), whether Graph acted. */
type Outcome = ActOutcome;

const DONE: Record<AdminPayload['kind'], string> = {
  stop: 'Stopped the current run of {name}: reviewers can no longer answer.',
  apply: 'Applying the decisions of the current run of {name}: {denied} being removed from {group}.',
  reset: 'Reset the decisions of the current run of {name}: every item is back to Not reviewed.',
  delete: 'Deleted {name} with its runs and decisions.',
};

function doneText(payload: AdminPayload, name: string): string {
  const denied = payload.counts?.denied ?? 0;
  return DONE[payload.kind].replace('{name}', name).replace('{denied}', `${denied.toLocaleString('en-US')} denied ${denied === 1 ? 'member is' : 'members are'}`)
    .replace('{group}', payload.groupName ?? 'the reviewed group');
}

const gone = (name: string): string => `${name} no longer exists (it was deleted, or its run is gone). Nothing was changed.`;

/** After a 5xx on a write: whether Graph made the change anyway (read back), or undefined when it cannot be told. */
async function madeAnyway(graph: GraphApis, payload: AdminPayload): Promise<boolean | undefined> {
  try {
    if (payload.kind === 'delete') {
      await graph.reviews.getDefinition(payload.definitionId);
      return false;
    }
    const instanceId = payload.instanceId ?? '';
    if (payload.kind === 'reset') {
      const [all, notReviewed] = await Promise.all([graph.reviews.countInstanceDecisions(payload.definitionId, instanceId),
        graph.reviews.countInstanceDecisions(payload.definitionId, instanceId, 'NotReviewed')]);
      return all.complete && notReviewed.complete ? all.count === notReviewed.count : undefined;
    }
    const status = String((await graph.reviews.reviewInstance(payload.definitionId, instanceId)).status ?? '').toLowerCase();
    return payload.kind === 'stop' ? status !== 'inprogress' : status === 'applying' || status === 'applied';
  } catch (error) {
    if (payload.kind === 'delete' && isAppError(error, 'NotFound')) return true;
    if (isAppError(error, 'SignInRequired')) throw error;
    return undefined;
  }
}

/**
 * The buttons of the stop / apply / reset / delete confirmation card, on the confirm-then-act rules (only the asker,
 * in the conversation where they asked, on the card's current revision, while it is pending: others are refused before
 * any sign-in and nothing changes). The act button claims the confirmation once, re-reads the review and its run with
 * the presser's own token (ids from storage, never from card data), checks the precondition again, and acts.
 */
export function reviewAdminActions(store: AdminActionStore, graphFor: UserGraph, log: Logger): VerbHandlers {
  const rules = closingRules(store, { example: 'stop <review>', card: adminCard });

  async function act(graph: GraphApis, action: AdminAction): Promise<Outcome> {
    const { payload } = action;
    const shown = payload.reviewName;
    // The ids are re-checked against Graph as the presser: a review deleted since the card → the not-found answer.
    let name = shown;
    try {
      const definition = await graph.reviews.getDefinition(payload.definitionId);
      name = nameOf(definition);
      if (payload.kind !== 'delete') {
        const run = payload.instanceId === undefined ? undefined : await graph.reviews.reviewInstance(payload.definitionId, payload.instanceId);
        const refusal = refusalFor(payload.kind, name, run, settingsOf(definition));
        if (refusal !== undefined) return { text: `The review changed since the card was sent. ${refusal}`, final: true, acted: false };
      }
    } catch (error) {
      if (isAppError(error, 'NotFound')) return { text: gone(shown), final: true, acted: false };
      // Refused or busy while re-reading (nothing written yet): said as it is, and the press may be retried.
      if (isAppError(error) && error.code !== 'SignInRequired') return { text: `${error.userMessage} Nothing was changed.`, final: false, acted: false };
      throw error;
    }
    try {
      if (payload.kind === 'delete') await graph.reviews.deleteDefinition(payload.definitionId);
      else {
        const graphAction = { stop: 'stop', apply: 'applyDecisions', reset: 'resetDecisions' } as const;
        await graph.reviews.instanceAction(payload.definitionId, payload.instanceId ?? '', graphAction[payload.kind]);
      }
      return { text: doneText(payload, name), final: true, acted: true };
    } catch (error) {
      if (!isAppError(error) || error.code === 'SignInRequired') throw error;
      if (error.code === 'NotFound') return { text: gone(name), final: true, acted: false };
      if (error.code === 'Forbidden') return { text: `${error.userMessage} Nothing was changed.`, final: false, acted: false };
      if (error.code !== 'GraphUnavailable' && error.code !== 'Throttled') return { text: `${error.userMessage} Nothing was changed.`, final: false, acted: false };
      // 429 after retries: Graph did nothing. A 5xx after the write may hide a change: look before saying.
      const made = error.code === 'Throttled' ? false : await madeAnyway(graph, payload);
      const seconds = error.retryAfterSeconds ?? 30;
      const wait = `try again in ${seconds} second${seconds === 1 ? '' : 's'}`;
      if (made === true) return { text: `${doneText(payload, name)} (Microsoft Graph answered with an error, but the change was made.)`, final: true, acted: true };
      if (made === false) return { text: `Microsoft Graph is busy: nothing was changed. Press the button again or ${wait}.`, final: false, acted: false };
      return { text: `Microsoft Graph answered with an error and I could not tell whether the change was made: check with \`show\` before you ${wait}.`, final: false, acted: false };
    }
  }

  return {
    [REVIEW_ACTION_CONFIRM]: confirmThenAct({
      ...rules,
      needsGraph: true,
      act: (turn, action) => claimAndAct(rules, action, () => act(graphFor(turn), action), () => {
        log.info({ kind: action.payload.kind, definitionId: action.payload.definitionId, confirmationId: action.id }, 'review action done');
      }),
    }),
    [REVIEW_ACTION_CANCEL]: confirmThenAct({ ...rules, needsGraph: false, act: (turn, action) => cancelPending(rules, turn, action) }),
  };
}
