import { MY_REVIEWS_ROWS, renderMyReviewsCard } from '../../cards/decide';
import { describeScope, reviewedGroupId } from '../../reviews/describe';
import { currentInstance, dayOf } from '../../reviews/describeDefinition';
import { timeLeft } from '../../reviews/summary';
import { plural } from '../../reviews/vocabulary';
import type { ReviewDefinition, ReviewInstance } from '../graph/apis';
import { decideArgs, type ReviewingDeps } from './decide';
import type { Feature } from './feature';

const NOT_WIRED = { text: 'Deciding in chat is not available right now.' };
const end = (instance: ReviewInstance): number => {
  const at = Date.parse(instance.endDateTime ?? '');
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at;
};

/**
 * `my reviews` (also "what do I need to review"), personal chat, the user's own token: the running reviews where they
 * have items still to decide (Graph's three-level `filterByCurrentUser(on='reviewer')` walk), most urgent (ending
 * soonest) first, each with what is left, what is pending here, the due date and a Start button.
 */
export const myReviewsFeature = (deps: ReviewingDeps | undefined): Feature => ({
  async run(context) {
    if (deps === undefined) return NOT_WIRED;
    const { definitions, complete } = await context.graph.reviewer.myDefinitions();
    const runs = definitions.length === 0 ? new Map<string, ReviewInstance[]>() : await context.graph.reviewer.myInstances(definitions.map((d) => d.id));
    const running = definitions.flatMap((definition): Array<{ definition: ReviewDefinition; instance: ReviewInstance }> => {
      const instance = currentInstance((runs.get(definition.id) ?? []).filter((run) => (run.status ?? '').toLowerCase() === 'inprogress'));
      return instance === undefined ? [] : [{ definition, instance }];
    });
    const counts = running.length === 0 ? [] : await context.graph.reviewer.myItemCounts(running.map(({ definition, instance }) => ({ definitionId: definition.id, instanceId: instance.id })));
    const owed = running.map((row, index) => ({ ...row, counts: counts[index] }))
      .filter((row) => row.counts !== undefined && row.counts.undecided > 0)
      .sort((a, b) => end(a.instance) - end(b.instance) || (a.definition.displayName ?? '').localeCompare(b.definition.displayName ?? '', 'en-US'));
    const shown = owed.slice(0, MY_REVIEWS_ROWS);
    const groupIds = [...new Set(shown.map(({ definition }) => reviewedGroupId(definition)).filter((id): id is string => id !== undefined))].slice(0, 15);
    const [names, pending] = await Promise.all([
      groupIds.length === 0 ? Promise.resolve(new Map<string, string>()) : context.graph.directory.groupNames(groupIds),
      Promise.all(shown.map(({ instance }) => deps.pending.get(context.userId, instance.id))),
    ]);
    const now = deps.clock.now();
    const total = owed.reduce((sum, row) => sum + (row.counts?.undecided ?? 0), 0);
    return {
      card: renderMyReviewsCard({
        title: 'Your access reviews to decide',
        subtitle: owed.length === 0 ? 'Most urgent first' : `${plural(total, 'decision')} waiting in ${plural(owed.length, 'review')} · most urgent first`,
        rows: shown.map(({ definition, instance, counts: c }, index) => {
          const kept = Object.keys(pending[index]?.choices ?? {}).length;
          return {
            name: definition.displayName ?? '(no name)',
            details: `${describeScope(definition, names)} · due ${dayOf(instance.endDateTime)} · ${timeLeft(instance, now)}`,
            owed: `${(c?.undecided ?? 0).toLocaleString('en-US')} of ${(c?.total ?? 0).toLocaleString('en-US')} to decide${kept > 0 ? ` · ${kept.toLocaleString('en-US')} pending` : ''}`,
            args: decideArgs(definition.id, instance.id),
            start: kept > 0 || (c?.undecided ?? 0) < (c?.total ?? 0) ? 'Continue' : 'Start',
          };
        }),
        emptyText: 'Nothing to decide: no running access review has items waiting for you.',
        more: [owed.length > shown.length ? `…and ${plural(owed.length - shown.length, 'more review')}.` : '',
          complete ? '' : 'Perhaps more: I read the first 1,000 reviews you take part in.'].filter((text) => text !== '').join(' '),
        footer: 'You decide as yourself; choices stay pending until you submit them.',
        owner: context.userId,
      }),
    };
  },
});
