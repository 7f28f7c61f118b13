import type { TurnContext } from 'botbuilder';
import { renderConfirmationCard } from '../../cards';
import { describeSettings } from '../../reviews/describeSettings';
import { impactPreview, warningText, type ScopeCounts } from '../../reviews/impact';
import type { ReviewSettings, UserRef } from '../../reviews/settings';
import { validateSettings } from '../../reviews/validateSettings';
import { isAppError } from '../errors';
import type { GraphApis } from '../graph/apis';
import { statusWords } from '../../reviews/status';
import { replyActivity } from '../features/feature';
import type { Opened } from '../pending/pendingActions';
import { actorOf } from '../turn';
import type { CreatedReview, DraftPayload, DraftStore, ReviewDraft } from './drafts';

/**
 * What the scope holds right now, read with the user's token: counts only (`$count` with
 * `ConsistencyLevel: eventual`), never the member lists, so a 10,000-member group costs the same requests.
 */
export async function readCounts(graph: GraphApis, settings: ReviewSettings, requester: UserRef): Promise<ScopeCounts> {
  const { directory } = graph;
  const scope = settings.scope;
  if (scope.kind === 'allGroupsGuests') {
    const guests = await directory.countGuests();
    return { principals: guests, guests, owners: undefined, requesterInScope: false };
  }
  const groupId = scope.group.id;
  const guestsOnly = scope.kind === 'guests';
  const [principals, guests, owners, requesterInScope, existingReviews] = await Promise.all([
    directory.countGroupUsers(groupId, guestsOnly),
    guestsOnly ? Promise.resolve(undefined) : directory.countGroupUsers(groupId, true),
    settings.reviewers.kind === 'owners' ? directory.countGroupOwners(groupId) : Promise.resolve(undefined),
    guestsOnly ? Promise.resolve(false) : directory.isInGroup(groupId, requester.id),
    existingReviewsOf(graph, groupId),
  ]);
  return { principals, guests: guests ?? principals, owners, requesterInScope, ...(existingReviews === undefined ? {} : { existingReviews }) };
}

/**
 * The reviews that already cover this group (Graph's documented `contains` filter on the scope's query: one request).
 * A user who may not list reviews (403) or a busy Graph only loses the warning: the draft is not held up for it.
 */
async function existingReviewsOf(graph: GraphApis, groupId: string): Promise<Array<{ displayName: string; status: string }> | undefined> {
  try {
    const page = await graph.reviews.listDefinitions('all', 10, groupId);
    return page.definitions.map((definition) => ({ displayName: definition.displayName ?? '(no name)', status: statusWords(definition.status) }));
  } catch (error) {
    if (isAppError(error, 'SignInRequired')) throw error;
    return undefined;
  }
}

/** The confirmation card of a draft's current revision (also the refreshed card an outdated press gets back). */
export function draftCard(draft: ReviewDraft, today: string, notice?: string): Record<string, unknown> {
  const { settings, counts } = draft.payload;
  const preview = impactPreview(settings, counts);
  const problems = validateSettings(settings, today);
  return renderConfirmationCard({
    confirmationId: draft.id,
    revision: draft.revision,
    title: settings.name,
    lines: describeSettings(settings),
    impact: { principals: preview.inScope, guests: preview.guestsText, reviewers: preview.reviewers },
    warnings: preview.warnings.map((warning) => warningText(warning, settings)),
    canCreate: problems.length === 0,
    problems: problems.map((problem) => problem.reason),
    ...(notice ? { notice } : {}),
  });
}

/** Why a changed draft could not take the change (it was created, cancelled or is being created meanwhile). */
function notRevisedText(outcome: Opened<DraftPayload, CreatedReview>): string {
  if (outcome.kind === 'final') {
    return outcome.action.state === 'done'
      ? 'This review was already created, so nothing changed. Type `review …` or `create review` for a new one.'
      : 'This draft was cancelled, so nothing changed. Type `review …` or `create review` to start again.';
  }
  if (outcome.kind === 'busy') return 'This review is being created right now, so nothing changed.';
  return 'This draft has expired, so nothing changed. Type `review …` or `create review` to start again.';
}

/**
 * Step 6: the confirmation card — every setting in plain words, the impact preview with its warnings, and
 * Create / Change a setting / Cancel. The settings are kept as a draft (a pending action of the requester, in
 * this conversation); the card carries only the draft's id and revision, so its data cannot change what is
 * created. With `draftId` the draft is revised (its owner only, while it is still pending).
 */
export async function sendConfirmation(turn: TurnContext, graph: GraphApis, drafts: DraftStore, input: {
  settings: ReviewSettings; requester: UserRef; today: string; draftId?: string;
}): Promise<void> {
  const { settings, requester, today } = input;
  const payload: DraftPayload = { settings, counts: await readCounts(graph, settings, requester) };
  const actor = actorOf(turn);
  let draft: ReviewDraft;
  if (input.draftId === undefined) {
    draft = await drafts.start({ id: requester.id, name: requester.displayName }, actor.conversationId, payload);
  } else {
    const revised = await drafts.revise(input.draftId, actor, payload);
    if (revised.kind !== 'open') {
      await turn.sendActivity(notRevisedText(revised));
      return;
    }
    draft = revised.action;
  }
  await turn.sendActivity(replyActivity({ card: draftCard(draft, today) }));
}
