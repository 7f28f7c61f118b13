import { REVIEW_EDIT_CANCEL, REVIEW_EDIT_CONFIRM } from '../../cards/verbs';
import type { EditLine } from '../../reviews/editDefinition';
import { todayOf } from '../clock';
import { isAppError } from '../errors';
import { EDIT_ROLE, editCard, editNow, type EditAction, type EditDeps } from '../features/edit';
import type { UserGraph } from '../features/runner';
import type { GraphApis } from '../graph/apis';
import type { Logger } from '../logger';
import { quoted } from '../userText';
import type { VerbHandlers } from '.';
import { cancelPending, claimAndAct, closingRules, confirmThenAct, type ActOutcome } from './confirmThenAct';


/** What a press came to: the answer, whether it is final (a later press repeats it), whether Graph acted. */
type Outcome = ActOutcome;

/** "Duration: `14 days → 21 days`" (values are Graph's and the user's text: shown as code). */
const changesText = (lines: readonly EditLine[]): string => lines.map((line) => `${line.label}: ${quoted(line.value, 200)}`).join('; ');
const gone = (name: string): string => `${name} no longer exists (it was deleted). Nothing was changed.`;

/**
 * The Save changes / Cancel buttons of an `edit` card, on the confirm-then-act rules (only the asker, in the
 * conversation where they asked, on the card's current revision, while it is pending). Save claims the confirmation
 * once, re-reads the definition with the presser's own token (its id from storage, never from card data), makes the
 * same changes to it as it is now (what others changed meanwhile in other fields is kept), checks again what Graph
 * would refuse, and PUTs the whole object.
 */
export function editActions(deps: EditDeps, graphFor: UserGraph, log: Logger): VerbHandlers {
  const store = deps.actions;
  const rules = closingRules(store, { example: 'edit <review> duration 21 days', card: editCard });

  async function act(graph: GraphApis, action: EditAction): Promise<Outcome> {
    const { payload } = action;
    const name = payload.reviewName;
    let plan: ReturnType<typeof editNow>;
    try {
      plan = editNow(await graph.reviews.getDefinition(payload.definitionId), payload.changes, todayOf(deps.clock));
    } catch (error) {
      if (isAppError(error, 'NotFound')) return { text: gone(name), final: true, acted: false };
      if (isAppError(error) && error.code !== 'SignInRequired') return { text: `${error.userMessage} Nothing was changed.`, final: false, acted: false };
      throw error;
    }
    if (plan.kind === 'refused') return { text: `The review changed since the card was sent. ${plan.text} Nothing was changed.`, final: true, acted: false };
    if (plan.kind === 'same') return { text: `${name} already has those settings: nothing to change.`, final: true, acted: false };
    try {
      await graph.reviews.updateDefinition(payload.definitionId, plan.body);
    } catch (error) {
      if (!isAppError(error) || error.code === 'SignInRequired') throw error;
      if (error.code === 'NotFound') return { text: gone(name), final: true, acted: false };
      if (error.code === 'Forbidden') return { text: `${error.userMessage} ${EDIT_ROLE} Nothing was changed.`, final: false, acted: false };
      // A PUT of the whole object is idempotent: pressing again is safe whatever happened.
      return { text: `${error.userMessage} Nothing was changed, or the change may not be complete: press Save changes again.`, final: false, acted: false };
    }
    return { text: `Saved ${name}: ${changesText(plan.lines)}. Runs in progress keep their settings; the next runs follow the new ones.`, final: true, acted: true };
  }

  return {
    [REVIEW_EDIT_CONFIRM]: confirmThenAct({
      ...rules,
      needsGraph: true,
      act: (turn, action) => claimAndAct(rules, action, () => act(graphFor(turn), action), () => {
        log.info({ definitionId: action.payload.definitionId, confirmationId: action.id, fields: action.payload.changes.map((change) => change.field) }, 'review edited');
      }),
    }),
    [REVIEW_EDIT_CANCEL]: confirmThenAct({ ...rules, needsGraph: false, act: (turn, action) => cancelPending(rules, turn, action) }),
  };
}
