import type { Client } from '@microsoft/microsoft-graph-client';
import type { TurnContext } from 'botbuilder';
import { renderConfirmationCard } from '../../cards';
import { describeSettings } from '../../reviews/describeSettings';
import { impactPreview, warningText, type ScopeCounts } from '../../reviews/impact';
import type { ReviewSettings, UserRef } from '../../reviews/settings';
import { validateSettings } from '../../reviews/validateSettings';
import { countGroupOwners, countGroupUsers, countGuests, isInGroup } from '../graph/directory';
import { replyActivity } from '../features/feature';
import type { DraftStore } from './drafts';

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

/**
 * Step 6: the confirmation card — every setting in plain words, the impact preview with its warnings, and
 * Create / Change a setting / Cancel. The settings are kept as a draft in shared storage; the card carries
 * only the draft's id, so its data cannot change what is created.
 */
export async function sendConfirmation(turn: TurnContext, client: Client, drafts: DraftStore, input: {
  settings: ReviewSettings; requester: UserRef; today: string; draftId?: string;
}): Promise<string> {
  const { settings, requester, today } = input;
  const counts = await readCounts(client, settings, requester);
  const preview = impactPreview(settings, counts);
  const problems = validateSettings(settings, today);
  const id = input.draftId ?? drafts.newId();
  await drafts.save({
    id, settings, requesterId: requester.id, conversationId: turn.activity.conversation.id, createdAt: new Date().toISOString(), status: 'open',
  });
  await turn.sendActivity(replyActivity({
    card: renderConfirmationCard({
      confirmationId: id,
      title: settings.name,
      lines: describeSettings(settings),
      impact: { principals: preview.inScope, guests: `${preview.guests}`, reviewers: preview.reviewers },
      warnings: preview.warnings.map((warning) => warningText(warning, settings)),
      canCreate: problems.length === 0,
      problems: problems.map((problem) => problem.reason),
    }),
  }));
  return id;
}
