import type { TurnContext } from 'botbuilder';
import { renderConfirmationCard } from '../../cards';
import { describeSettings } from '../../reviews/describeSettings';
import { impactPreview, warningText, type ScopeCounts } from '../../reviews/impact';
import type { ReviewSettings, UserRef } from '../../reviews/settings';
import { validateSettings } from '../../reviews/validateSettings';
import type { DirectoryApi } from '../graph/apis';
import { replyActivity } from '../features/feature';
import type { Opened } from '../pending/pendingActions';
import { actorOf } from '../turn';
import type { CreatedReview, DraftPayload, DraftStore, ReviewDraft } from './drafts';

/**
 * What the scope holds right now, read with the user's token: counts only (`$count` with
 * `ConsistencyLevel: eventual`), never the member lists, so a 10,000-member group costs the same requests.
 */
export async function readCounts(directory: DirectoryApi, settings: ReviewSettings, requester: UserRef): Promise<ScopeCounts> {
  const scope = settings.scope;
  if (scope.kind === 'allGroupsGuests') {
    const guests = await directory.countGuests();
    return { principals: guests, guests, owners: undefined, requesterInScope: false };
  }
  const groupId = scope.group.id;
  const guestsOnly = scope.kind === 'guests';
  const [principals, guests, owners, requesterInScope] = await Promise.all([
    directory.countGroupUsers(groupId, guestsOnly),
    guestsOnly ? Promise.resolve(undefined) : directory.countGroupUsers(groupId, true),
    settings.reviewers.kind === 'owners' ? directory.countGroupOwners(groupId) : Promise.resolve(undefined),
    guestsOnly ? Promise.resolve(false) : directory.isInGroup(groupId, requester.id),
  ]);
  return { principals, guests: guests ?? principals, owners, requesterInScope };
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
export async function sendConfirmation(turn: TurnContext, directory: DirectoryApi, drafts: DraftStore, input: {
  settings: ReviewSettings; requester: UserRef; today: string; draftId?: string;
}): Promise<void> {
  const { settings, requester, today } = input;
  const payload: DraftPayload = { settings, counts: await readCounts(directory, settings, requester) };
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
