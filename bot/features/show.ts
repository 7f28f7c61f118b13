import { renderReviewDetailsCard, REVIEW_DETAILS_LIMITS, type ReviewRunLine } from '../../cards/reviewDetails';
import type { CardButton } from '../../cards/types';
import { REVIEW_APPLY, REVIEW_DECISIONS, REVIEW_REMIND, REVIEW_SHOW, REVIEW_STOP } from '../../cards/verbs';
import { currentRun, refusalFor, runsStartedWith, type AdminKind } from '../../reviews/adminActions';
import { describeRecurrence } from '../../reviews/describe';
import { currentInstance, dayOf, waitingLine } from '../../reviews/describeDefinition';
import { describeDefinitionSettings, namesNeeded } from '../../reviews/fromDefinition';
import { inReviewsList, statusWords } from '../../reviews/status';
import { isAppError } from '../errors';
import type { GraphApis, ReviewDefinition, ReviewInstance } from '../graph/apis';
import { quoted } from '../userText';
import type { Feature, FeatureContext, FeatureReply } from './feature';
import { findReview } from './findReview';
import { settingsOf } from './reviewAdmin';

/** Runs whose progress (every decision item read) and waiting reviewers are shown: the first ones on the card. */
const PROGRESS_RUNS = 3;
const GROUP_IN_QUERY = /\/groups\/([0-9a-fA-F-]{36})/;
const PERSONAL_POINTER = 'Send `show` and the review\'s name to me in personal chat.';

/** An all-Microsoft-365-groups review: its scope is relative to each enumerated group (`./members…`). */
function isPerGroup(definition: ReviewDefinition): boolean {
  const scope: { query?: unknown } | null | undefined = definition.scope;
  return typeof scope?.query === 'string' && scope.query.startsWith('./');
}

const isFinished = (status: string | null | undefined): boolean => !inReviewsList('active', status);
const percent = (part: number, whole: number): string => (whole === 0 ? '' : ` (${Math.floor((part / whole) * 100)}%)`);

/** Reviewed / total, and the contacted reviewers who have decided nothing yet while items wait (names only). */
async function progressOf(graph: GraphApis, definitionId: string, instance: ReviewInstance): Promise<{ progress: string; waiting: string }> {
  let total = 0;
  let reviewed = 0;
  const deciders = new Set<string>();
  const [scan, contacted] = await Promise.all([
    graph.reviews.scanDecisions(definitionId, instance.id, { select: ['id', 'decision', 'reviewedBy'] }, (items) => {
      total += items.length;
      for (const item of items) {
        if ((item.decision ?? 'NotReviewed').toLowerCase() === 'notreviewed') continue;
        reviewed += 1;
        const id = item.reviewedBy?.id?.toLowerCase();
        if (id) deciders.add(id);
      }
    }),
    isFinished(instance.status) ? Promise.resolve([]) : graph.reviews.contactedReviewers(definitionId, instance.id),
  ]);
  const counted = `${scan.complete ? '' : 'at least '}${reviewed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} reviewed${percent(reviewed, total)}`;
  const waitingOn = reviewed < total ? contacted.filter((reviewer) => !deciders.has(reviewer.id.toLowerCase())).map((reviewer) => reviewer.displayName) : [];
  return { progress: counted, waiting: waitingLine(waitingOn) };
}

/** The card's runs: the current one first, then the others by start, newest first; all-groups runs by their group. */
async function runLines(graph: GraphApis, definition: ReviewDefinition, instances: readonly ReviewInstance[]): Promise<ReviewRunLine[]> {
  const current = currentInstance(instances);
  const others = instances.filter((instance) => instance !== current)
    .sort((a, b) => Number(isFinished(a.status)) - Number(isFinished(b.status)) || (b.startDateTime ?? '').localeCompare(a.startDateTime ?? ''));
  const shown = [...(current === undefined ? [] : [current]), ...others].slice(0, REVIEW_DETAILS_LIMITS.runs);
  const perGroup = isPerGroup(definition);
  const groupOf = (instance: ReviewInstance): string | undefined => GROUP_IN_QUERY.exec(instance.scope?.query ?? '')?.[1]?.toLowerCase();
  const groupIds = perGroup ? shown.map(groupOf).filter((id): id is string => id !== undefined) : [];
  const [names, progress] = await Promise.all([
    groupIds.length === 0 ? Promise.resolve(new Map<string, string>()) : graph.directory.groupNames(groupIds),
    Promise.all(shown.slice(0, PROGRESS_RUNS).map((instance) => progressOf(graph, definition.id, instance))),
  ]);
  return shown.map((instance, index) => {
    const group = groupOf(instance);
    const title = perGroup ? names.get(group ?? '') ?? 'A group' : instance === current ? (isFinished(instance.status) ? 'Latest run' : 'Current run') : 'Earlier run';
    return {
      title, status: statusWords(instance.status), dates: `${dayOf(instance.startDateTime)} to ${dayOf(instance.endDateTime)}`,
      progress: progress[index]?.progress ?? '', waiting: progress[index]?.waiting ?? '',
    };
  });
}

const RUN_BUTTONS: ReadonlyArray<{ kind: AdminKind; title: string; verb: CardButton['verb'] }> = [
  { kind: 'remind', title: 'Send reminder', verb: REVIEW_REMIND }, { kind: 'stop', title: 'Stop', verb: REVIEW_STOP }, { kind: 'apply', title: 'Apply decisions', verb: REVIEW_APPLY },
];

/**
 * The buttons after Refresh, in personal chat only (a shared room keeps Refresh; its members can still type the
 * commands): Decisions, then the run commands that would act now on the run they act on (their own preconditions; none
 * for a review with one run per group). Each replays its command, which asks first.
 */
function buttonsFor(context: FeatureContext, definition: ReviewDefinition, instances: readonly ReviewInstance[]): CardButton[] {
  if (context.scope !== 'personal') return [];
  const buttons: CardButton[] = [{ title: 'Decisions', verb: REVIEW_DECISIONS, args: definition.id }];
  const run = currentRun(instances);
  if (isPerGroup(definition) || runsStartedWith(instances, run) > 1) return buttons;
  const settings = settingsOf(definition);
  const name = definition.displayName ?? definition.id;
  return [...buttons, ...RUN_BUTTONS.filter(({ kind }) => refusalFor(kind, name, run, settings) === undefined)
    .map(({ title, verb }) => ({ title, verb, args: definition.id }))];
}

async function detailsOf(context: FeatureContext, definition: ReviewDefinition): Promise<FeatureReply> {
  const graph = context.graph;
  const needed = namesNeeded(definition);
  const [{ instances, more }, groups, users] = await Promise.all([
    graph.reviews.instancesPage(definition.id),
    needed.groups.length === 0 ? Promise.resolve(new Map<string, string>()) : graph.directory.groupNames(needed.groups),
    needed.users.length === 0 ? Promise.resolve(new Map<string, string>()) : graph.directory.userNames(needed.users),
  ]);
  const runs = await runLines(graph, definition, instances);
  const hidden = instances.length - runs.length;
  const perGroup = isPerGroup(definition);
  return {
    card: renderReviewDetailsCard({
      id: definition.id,
      name: definition.displayName ?? '(no name)',
      summary: `${statusWords(definition.status)} · ${describeRecurrence(definition.settings?.recurrence)}`,
      lines: describeDefinitionSettings(definition, groups, users),
      runsTitle: perGroup ? 'Runs (one per group)' : 'Runs',
      runs,
      moreRuns: hidden > 0 || more ? `…and ${more ? 'more than ' : ''}${hidden} more ${perGroup ? 'groups' : 'runs'}` : '',
      actions: buttonsFor(context, definition, instances),
    }),
  };
}

/**
 * `show <review>`: one review's settings in the confirmation card's words (read back from the definition) and its
 * runs: status, dates, and for the first runs progress (every decision item counted) and the contacted reviewers who
 * have not answered yet. A team channel shows only its own group's reviews (names of waiting reviewers, never
 * decisions); a group chat gets the pointer.
 */
export const showFeature = (): Feature => ({
  async run(context) {
    if (context.scope === 'groupChat') return { text: `A group chat is shared with everyone in it, so I show no review here. ${PERSONAL_POINTER}` };
    const found = await findReview(context, { phrase: 'show', verb: REVIEW_SHOW });
    if (found.kind === 'answer') return found.reply;
    const definition = found.review;
    try {
      // A name is resolved over the list's fields: the whole definition (settings, fallback reviewers) is read again.
      return await detailsOf(context, await context.graph.reviews.getDefinition(definition.id));
    } catch (error) {
      if (isAppError(error, 'NotFound')) return { text: `The review ${quoted(definition.displayName ?? definition.id)} no longer exists (it may have just been deleted). Nothing changed.` };
      throw error;
    }
  },
});
