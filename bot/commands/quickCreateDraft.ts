import type { SettingsDraft } from '../../reviews/defaults';
import type { GroupRef, ReviewerChoice, ReviewScope, UserRef } from '../../reviews/settings';
import type { QuickCreateRequest, QuickCreateReviewers } from './quickCreate';

/**
 * Quick create → the domain: a parsed request, plus what only Graph knows (the group, the users behind addresses),
 * → the settings draft that completeSettings turns into full settings, exactly as the wizard's answers are. Pure:
 * the dialog resolves names with Graph first, then calls this.
 */

/** What quick create needs from the directory to turn a request into settings (the dialog resolves it with Graph). */
export interface QuickCreateResolved {
  requester: UserRef;
  /** The group reviewed: the one named, or this team's; absent for all groups. */
  group?: GroupRef;
  /** The users behind `by <email>,…`. */
  reviewers?: UserRef[];
}

/** Who reviews, as the domain says it; undefined when not said (completeSettings: owners). */
function reviewerChoice(by: QuickCreateReviewers | undefined, resolved: QuickCreateResolved): ReviewerChoice | undefined {
  if (by === undefined) return undefined;
  switch (by.kind) {
    case 'me':
      return { kind: 'users', users: [resolved.requester] };
    case 'emails':
      if (resolved.reviewers === undefined) throw new Error('quick create: the reviewers\' addresses are not resolved');
      return { kind: 'users', users: resolved.reviewers };
    default:
      return { kind: by.kind };
  }
}

/** The domain's settings draft a request stands for (the input of completeSettings): only what was said. */
export function settingsDraftFrom(request: QuickCreateRequest, resolved: QuickCreateResolved): SettingsDraft {
  const { what, frequency, startDate, durationDays, end, autoApply, defaultDecision } = request;
  let scope: ReviewScope = { kind: 'allGroupsGuests' };
  if (request.target.kind !== 'allGroups') {
    const group = resolved.group;
    if (group === undefined) throw new Error('quick create: the group is not resolved');
    scope = what?.kind === 'inactive' ? { kind: 'inactive', group, inactiveDays: what.days } : { kind: what?.kind ?? 'members', group };
  }
  const reviewers = reviewerChoice(request.reviewers, resolved);
  return {
    scope,
    ...(reviewers ? { reviewers } : {}),
    schedule: {
      ...(frequency ? { frequency } : {}), ...(startDate ? { startDate } : {}), ...(durationDays ? { durationDays } : {}), ...(end ? { end } : {}),
    },
    ...(autoApply !== undefined || defaultDecision !== undefined
      ? { options: { ...(autoApply ? { autoApply } : {}), ...(defaultDecision ? { defaultDecision } : {}) } } : {}),
  };
}
