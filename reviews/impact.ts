import { groupNameOf } from './defaults';
import { isGuestScope } from './definition';
import type { ReviewSettings, UserRef } from './settings';

/**
 * The confirmation card's impact preview (product spec, wizard step 6): who is in scope now, who reviews, and what
 * could go wrong. Counts come from Graph (read by the bot); this module only judges them. Pure.
 */

/** What the bot read from Graph about the scope right now; undefined = unknown. */
export interface ScopeCounts {
  /** People in scope. For guest scopes these are the guests (the scope holds nothing else). */
  principals: number;
  /** Guests among them. */
  guests: number;
  /** Owners of the reviewed group; undefined for all-groups reviews or when unknown. */
  owners: number | undefined;
  /** All-groups reviews: groups that have guests (one review run per group). */
  groupsWithGuests?: number;
  requesterInScope: boolean;
  /** Reviews that already cover the reviewed group (name and status in words), when they were looked up. */
  existingReviews?: Array<{ displayName: string; status: string }>;
}

export type ImpactWarning =
  | { kind: 'autoApplyDeny'; couldLoseAccess: number }
  | { kind: 'autoApplyRecommendation'; couldLoseAccess: number }
  | { kind: 'requesterInScope' }
  | { kind: 'noOwners' }
  | { kind: 'dynamicGroup' }
  | { kind: 'selfReview' }
  /** Role-assignable groups: results cannot be applied automatically either (settings.ts GroupRef). */
  | { kind: 'roleAssignableGroup' }
  /** Denied guests are disabled, then deleted after 30 days (trap 24). */
  | { kind: 'deleteGuests' }
  /** Guests seldom have a manager in the directory, so the fallback gets most of a manager review of guests. */
  | { kind: 'managersOfGuests' }
  /** A text of the requester's own still names a group the review covered before a change (issue 10, item 2). */
  | { kind: 'textNamesFormerGroup'; text: 'name' | 'descriptionForReviewers'; group: string }
  /** The group already has reviews (issue 10, item 9): a second one may be a mistake. */
  | { kind: 'existingReviews'; reviews: Array<{ displayName: string; status: string }> };

export interface ImpactPreview {
  principals: number;
  guests: number;
  /**
   * "32 people (2 guests among them)", "3 guests (everyone in this review is a guest)", "5 guests in 2 groups",
   * "up to 30 people (members of Finance Apps; who is inactive is decided when the review starts)".
   */
  inScope: string;
  /** The guests as the card shows them: "2", or "up to 2" when the scope is only known when the review starts. */
  guestsText: string;
  /** "2 owners of Sales Team", "each member's manager (fallback: Adele Vance)", "3 named people", … */
  reviewers: string;
  warnings: ImpactWarning[];
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "Adele Vance", "Adele Vance and Lee Gu", "Adele Vance, Lee Gu and Megan Bowen"; "nobody" for none. */
export function namesOf(users: readonly UserRef[]): string {
  const names = users.map((u) => u.displayName);
  if (names.length === 0) return 'nobody';
  return names.length === 1 ? names[0] ?? '' : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function inScopeText(settings: ReviewSettings, principals: number, guests: number, groups: number | undefined): string {
  if (settings.scope.kind === 'allGroupsGuests') {
    const who = count(guests, 'guest', 'guests');
    return groups === undefined ? who : `${who} in ${count(groups, 'group', 'groups')}`;
  }
  if (isGuestScope(settings.scope)) return `${count(guests, 'guest', 'guests')} (everyone in this review is a guest)`;
  if (settings.scope.kind === 'inactive') {
    // The counts are the whole group: Graph picks the inactive among them when each run starts (reference: inactiveDuration).
    return `up to ${count(principals, 'person', 'people')} (members of ${settings.scope.group.displayName}; ` +
      'who is inactive is decided when the review starts)';
  }
  return `${count(principals, 'person', 'people')} (${guests === 0 ? 'no guests' : `${count(guests, 'guest', 'guests')} among them`})`;
}

function reviewersText(settings: ReviewSettings, counts: ScopeCounts): string {
  const { scope, reviewers } = settings;
  const fallback = namesOf(settings.fallbackReviewers);
  switch (reviewers.kind) {
    case 'owners':
      if (scope.kind === 'allGroupsGuests') return `the owners of each group (fallback: ${fallback})`;
      if (counts.owners === undefined) return `the owners of ${scope.group.displayName}`;
      if (counts.owners === 0) return `${fallback} (fallback: ${scope.group.displayName} has no owners)`;
      return `${count(counts.owners, 'owner', 'owners')} of ${scope.group.displayName}`;
    case 'managers':
      return `each ${isGuestScope(scope) ? 'guest' : 'member'}'s manager (fallback: ${fallback})`;
    case 'users':
      return count(reviewers.users.length, 'named person', 'named people');
    case 'self':
      return 'each person reviews their own access';
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when `text` names `group` as a whole word, any case (Sales in "Sales review", not in "Salesforce"). */
function mentions(text: string, group: string): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(group)}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/** The former groups each text still names; the group reviewed now is taken out first ("Finance" inside "Finance Apps"). */
function formerGroupWarnings(settings: ReviewSettings): ImpactWarning[] {
  const current = groupNameOf(settings.scope);
  const warnings: ImpactWarning[] = [];
  for (const text of ['name', 'descriptionForReviewers'] as const) {
    const value = current === undefined ? settings[text] : settings[text].replace(new RegExp(escapeRegExp(current), 'giu'), ' ');
    const group = (settings.formerGroupNames ?? []).find((former) => mentions(value, former));
    if (group !== undefined) warnings.push({ kind: 'textNamesFormerGroup', text, group });
  }
  return warnings;
}

/** Counts, reviewers and warnings for the confirmation card. */
export function impactPreview(settings: ReviewSettings, counts: ScopeCounts): ImpactPreview {
  const { scope, reviewers, options } = settings;
  // A guest scope contains only guests, whatever else the counts say.
  const guests = isGuestScope(scope) ? counts.principals : counts.guests;
  const warnings: ImpactWarning[] = [];
  // Everyone nobody reviews can lose access: up to everyone in scope now (trap 24).
  if (options.autoApply && options.defaultDecision === 'deny') warnings.push({ kind: 'autoApplyDeny', couldLoseAccess: counts.principals });
  if (options.autoApply && options.defaultDecision === 'recommendation') {
    warnings.push({ kind: 'autoApplyRecommendation', couldLoseAccess: counts.principals });
  }
  if (counts.requesterInScope) warnings.push({ kind: 'requesterInScope' });
  if (counts.existingReviews !== undefined && counts.existingReviews.length > 0) warnings.push({ kind: 'existingReviews', reviews: counts.existingReviews });
  if (reviewers.kind === 'owners' && scope.kind !== 'allGroupsGuests' && counts.owners === 0) warnings.push({ kind: 'noOwners' });
  if (reviewers.kind === 'managers' && isGuestScope(scope)) warnings.push({ kind: 'managersOfGuests' });
  if (scope.kind !== 'allGroupsGuests' && scope.group.isDynamic) warnings.push({ kind: 'dynamicGroup' });
  else if (scope.kind !== 'allGroupsGuests' && scope.group.isAssignableToRole) warnings.push({ kind: 'roleAssignableGroup' });
  if (reviewers.kind === 'self') warnings.push({ kind: 'selfReview' });
  if (isGuestScope(scope) && options.deniedGuests === 'blockThenDelete') warnings.push({ kind: 'deleteGuests' });
  warnings.push(...formerGroupWarnings(settings));
  return {
    principals: counts.principals,
    guests,
    inScope: inScopeText(settings, counts.principals, guests, counts.groupsWithGuests),
    guestsText: scope.kind === 'inactive' ? `up to ${guests}` : `${guests}`,
    reviewers: reviewersText(settings, counts),
    warnings,
  };
}

const lose = (n: number): string =>
  n === 0 ? 'nobody is in scope right now, but anyone added later could lose access' : `up to ${count(n, 'person', 'people')} could lose access`;

/** One warning in plain words, for the confirmation card. */
export function warningText(warning: ImpactWarning, settings: ReviewSettings): string {
  const group = settings.scope.kind === 'allGroupsGuests' ? 'A group' : settings.scope.group.displayName;
  const fallback = namesOf(settings.fallbackReviewers);
  const theFallback = settings.fallbackReviewers.length > 1 ? 'the fallbacks' : 'the fallback';
  switch (warning.kind) {
    case 'autoApplyDeny':
      return `Auto-apply with 'deny' removes access from everyone nobody reviewed: ${lose(warning.couldLoseAccess)}.`;
    case 'autoApplyRecommendation':
      return "Auto-apply with 'take recommendations' removes access from everyone nobody reviewed whom Microsoft Entra " +
        `recommends denying (mostly people who have not signed in for 30 days): ${lose(warning.couldLoseAccess)}.`;
    case 'requesterInScope':
      return "You are in this review's scope.";
    case 'existingReviews': {
      const shown = warning.reviews.slice(0, 3).map((review) => `"${review.displayName}" (${review.status})`);
      const more = warning.reviews.length - shown.length;
      const list = more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
      return `${group} already has ${warning.reviews.length === 1 ? 'a review' : `${warning.reviews.length} reviews`}: ${list}. Check this one is not a duplicate.`;
    }
    case 'noOwners':
      return `${group} has no owners, so ${fallback} (${theFallback}) will review everything.`;
    case 'managersOfGuests':
      return `Guests rarely have a manager in your directory, so ${fallback} (${theFallback}) will probably review most of them.`;
    case 'dynamicGroup':
      return `${group} is a dynamic group: results cannot be applied automatically.`;
    case 'roleAssignableGroup':
      return `${group} is a role-assignable group: results cannot be applied automatically.`;
    case 'selfReview':
      return 'Each person reviews their own access: nobody else checks their answers.';
    case 'deleteGuests':
      return 'Denied guests are blocked from signing in, and their accounts are deleted from your directory after 30 days.';
    case 'textNamesFormerGroup': {
      const now = settings.scope.kind === 'allGroupsGuests' ? 'the guests in all Microsoft 365 groups' : settings.scope.group.displayName;
      const change = 'To change it: Change a setting → Settings and name.';
      return warning.text === 'name'
        ? `The name still mentions ${warning.group}, but this review is now of ${now}. ${change}`
        : `The description for reviewers still mentions ${warning.group}, but this review is now of ${now}: reviewers would read the wrong ` +
          `group in their mail. ${change}`;
    }
  }
}
