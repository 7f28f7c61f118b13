import type { Client } from '@microsoft/microsoft-graph-client';
import type { TurnContext } from 'botbuilder';
import { renderConfirmationCard } from '../../cards';
import { describeSettings } from '../../reviews/describeSettings';
import { impactPreview, warningText, type ScopeCounts } from '../../reviews/impact';
import type { ReviewSettings, UserRef } from '../../reviews/settings';
import { validateSettings } from '../../reviews/validateSettings';
import { countGroupOwners, countGroupUsers, countGuests, isInGroup } from '../graph/directory';
import { replyActivity } from '../features/feature';
import type { Opened } from '../pending/pendingActions';
import { actorOf } from '../features/runner';
import type { CreatedReview, DraftPayload, DraftStore, ReviewDraft } from './drafts';

/**
 * What the scope holds right now, read with the user's token: counts only (`$count` with
 * `ConsistencyLevel: eventual`), never the member lists, so a 10,000-member group costs the same requests.
 */
export async function readCounts(client: Client, settings: ReviewSettings, requester: UserRef): Promise<ScopeCounts> {
  const scope = settings.scope;
  if (scope.kind === 'allGroupsGuests') {
    const guests = await countGuests(client);
    return { principals: guests, guests, owners: undefined, requesterInScope: false };
  }
  const groupId = scope.group.id;
  const guestsOnly = scope.kind === 'guests';
  const [principals, guests, owners, requesterInScope] = await Promise.all([
    countGroupUsers(client, groupId, guestsOnly),
    guestsOnly ? Promise.resolve(undefined) : countGroupUsers(client, groupId, true),
    settings.reviewers.kind === 'owners' ? countGroupOwners(client, groupId) : Promise.resolve(undefined),
    guestsOnly ? Promise.resolve(false) : isInGroup(client, groupId, requester.id),
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
    impact: { principals: preview.inScope, guests: `${preview.guests}`, reviewers: preview.reviewers },
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
export async function sendConfirmation(turn: TurnContext, client: Client, drafts: DraftStore, input: {
  settings: ReviewSettings; requester: UserRef; today: string; draftId?: string;
}): Promise<void> {
  const { settings, requester, today } = input;
  const payload: DraftPayload = { settings, counts: await readCounts(client, settings, requester) };
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
