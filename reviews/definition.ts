import { addDays } from './defaults';
import type { ReviewerChoice, ReviewOptions, ReviewSchedule, ReviewScope, ReviewSettings, UserRef } from './settings';

/**
 * ReviewSettings → the accessReviewScheduleDefinition body Graph expects on POST (and PUT, full object).
 * Recipes: reference graph-access-reviews.md §2.2, §2.3, §3; traps 17–22 and 24. Pure.
 */

/** `@odata.type` is not in the Graph typings but Graph needs it on scopes (trap 19). */
type ODataTyped<T, K extends string> = T & { '@odata.type': K };

export type QueryScope = ODataTyped<{ query: string; queryType: 'MicrosoftGraph' }, '#microsoft.graph.accessReviewQueryScope'>;
export type InactiveUsersScope = ODataTyped<{ query: string; queryType: 'MicrosoftGraph'; inactiveDuration: string },
  '#microsoft.graph.accessReviewInactiveUsersQueryScope'>;

/** A reviewer or fallback reviewer; `queryRoot` only on relative queries (trap 17). */
export interface ReviewerScope {
  query: string;
  queryType: 'MicrosoftGraph';
  queryRoot?: 'decisions' | null;
}

/** Only weekly/absoluteMonthly are honoured; `null` = one time (trap 21). Types fit the Graph typings' unions. */
export interface DefinitionRecurrence {
  pattern: { type: 'weekly' | 'absoluteMonthly'; interval: number; dayOfMonth?: number } | null;
  range:
    | { type: 'numbered'; numberOfOccurrences: number; startDate: string; endDate?: string }
    | { type: 'endDate'; startDate: string; endDate: string }
    | { type: 'noEnd'; startDate: string };
}

export type ApplyAction = ODataTyped<Record<never, never>,
  '#microsoft.graph.removeAccessApplyAction' | '#microsoft.graph.disableAndDeleteUserApplyAction'>;

export interface DefinitionSettings {
  mailNotificationsEnabled: boolean;
  reminderNotificationsEnabled: boolean;
  justificationRequiredOnApproval: boolean;
  defaultDecisionEnabled: boolean;
  /** Omitted when disabled (reference 3.7). */
  defaultDecision?: 'Approve' | 'Deny' | 'Recommendation';
  autoApplyDecisionsEnabled: boolean;
  recommendationsEnabled: boolean;
  instanceDurationInDays: number;
  recurrence: DefinitionRecurrence;
  applyActions: ApplyAction[];
}

/** The JSON body of POST /identityGovernance/accessReviews/definitions. */
export interface DefinitionBody {
  displayName: string;
  descriptionForAdmins: string;
  descriptionForReviewers: string;
  scope: QueryScope | InactiveUsersScope;
  instanceEnumerationScope: QueryScope;
  reviewers: ReviewerScope[];
  fallbackReviewers: ReviewerScope[];
  settings: DefinitionSettings;
}

const MS_GRAPH = 'MicrosoftGraph';
/** Users only (no nested groups or devices as principals), direct and nested: the newer scope recipe (§3.1). */
const usersOf = (groupId: string): string => `/groups/${groupId}/transitiveMembers/microsoft.graph.user`;
const GUEST_FILTER = "/?$filter=(userType eq 'Guest')";
/** Real spaces inside JSON, not '+' (trap 15). */
export const ALL_M365_GROUPS = "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))";
export const GUESTS_OF_EACH_GROUP = `./members/microsoft.graph.user${GUEST_FILTER}`;

const queryScope = (query: string): QueryScope => ({ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query, queryType: MS_GRAPH });
const userReviewer = (user: UserRef): ReviewerScope => ({ query: `/users/${user.id}`, queryType: MS_GRAPH });

/** Guest-only scopes: the only ones where "block then delete" means anything (2.2 applyActions). */
export const isGuestScope = (scope: ReviewScope): boolean => scope.kind === 'guests' || scope.kind === 'allGroupsGuests';

function scopes(scope: ReviewScope): Pick<DefinitionBody, 'scope' | 'instanceEnumerationScope'> {
  switch (scope.kind) {
    case 'members':
      return { scope: queryScope(usersOf(scope.group.id)), instanceEnumerationScope: queryScope(`/groups/${scope.group.id}`) };
    case 'guests':
      return {
        scope: queryScope(`${usersOf(scope.group.id)}${GUEST_FILTER}`), instanceEnumerationScope: queryScope(`/groups/${scope.group.id}`),
      };
    case 'inactive':
      return {
        // The derived type is only recognised with its @odata.type (trap 19). The enumeration scope is the same
        // single-group form as the other group scopes (tutorials send it; §3.4 allows it with this scope type).
        scope: {
          '@odata.type': '#microsoft.graph.accessReviewInactiveUsersQueryScope', query: usersOf(scope.group.id), queryType: MS_GRAPH,
          inactiveDuration: `P${scope.inactiveDays}D`,
        },
        instanceEnumerationScope: queryScope(`/groups/${scope.group.id}`),
      };
    case 'allGroupsGuests':
      return { scope: queryScope(GUESTS_OF_EACH_GROUP), instanceEnumerationScope: queryScope(ALL_M365_GROUPS) };
  }
}

function reviewers(choice: ReviewerChoice, scope: ReviewScope): ReviewerScope[] {
  switch (choice.kind) {
    case 'owners':
      // In an all-groups review the owners are those of each enumerated group: relative, with a null root (§3.6).
      return scope.kind === 'allGroupsGuests'
        ? [{ query: './owners', queryType: MS_GRAPH, queryRoot: null }]
        : [{ query: `/groups/${scope.group.id}/owners`, queryType: MS_GRAPH }];
    case 'managers':
      return [{ query: './manager', queryType: MS_GRAPH, queryRoot: 'decisions' }];
    case 'users':
      return choice.users.map(userReviewer);
    case 'self':
      // Sent explicitly although the resource page calls reviewers "required" (trap 18).
      return [];
  }
}

const INTERVAL_MONTHS = { monthly: 1, quarterly: 3, semiannually: 6, annually: 12 } as const;

/** The patternedRecurrence of a schedule (§2.3): dates stay `YYYY-MM-DD` (trap 20). */
export function toRecurrence(schedule: ReviewSchedule): DefinitionRecurrence {
  const { frequency, startDate, durationDays, end } = schedule;
  if (frequency === 'once') {
    // Every doc example of a one-time review: numbered/0 with both dates; endDate = start + duration (trap 22).
    return { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate, endDate: addDays(startDate, durationDays) } };
  }
  const pattern: DefinitionRecurrence['pattern'] = frequency === 'weekly'
    ? { type: 'weekly', interval: 1 }
    // dayOfMonth as in reference 3.8; Graph takes the day from range.startDate anyway.
    : { type: 'absoluteMonthly', interval: INTERVAL_MONTHS[frequency], dayOfMonth: Number(startDate.slice(8, 10)) };
  switch (end.kind) {
    case 'never':
      return { pattern, range: { type: 'noEnd', startDate } };
    case 'date':
      return { pattern, range: { type: 'endDate', startDate, endDate: end.date } };
    case 'count':
      return { pattern, range: { type: 'numbered', numberOfOccurrences: end.count, startDate } };
  }
}

const DEFAULT_DECISION = { approve: 'Approve', deny: 'Deny', recommendation: 'Recommendation' } as const;

function settingsOf(options: ReviewOptions, schedule: ReviewSchedule, scope: ReviewScope): DefinitionSettings {
  // "Block then delete" only applies to B2B guests: a review of all members always just removes access.
  const deleteGuests = options.deniedGuests === 'blockThenDelete' && isGuestScope(scope);
  return {
    mailNotificationsEnabled: options.mailNotifications,
    reminderNotificationsEnabled: options.reminders,
    justificationRequiredOnApproval: options.justificationRequired,
    defaultDecisionEnabled: options.defaultDecision !== 'none',
    ...(options.defaultDecision === 'none' ? {} : { defaultDecision: DEFAULT_DECISION[options.defaultDecision] }),
    autoApplyDecisionsEnabled: options.autoApply,
    recommendationsEnabled: options.showRecommendations,
    instanceDurationInDays: schedule.durationDays,
    recurrence: toRecurrence(schedule),
    applyActions: [
      { '@odata.type': deleteGuests ? '#microsoft.graph.disableAndDeleteUserApplyAction' : '#microsoft.graph.removeAccessApplyAction' },
    ],
  };
}

/** The Graph definition body for these settings (assumes `validateSettings` found nothing wrong). */
export function toDefinition(settings: ReviewSettings): DefinitionBody {
  return {
    displayName: settings.name,
    descriptionForAdmins: settings.descriptionForAdmins,
    descriptionForReviewers: settings.descriptionForReviewers,
    ...scopes(settings.scope),
    reviewers: reviewers(settings.reviewers, settings.scope),
    // Always sent, [] when none: owners/managers that resolve to nobody fall back to these (§3.6).
    fallbackReviewers: settings.fallbackReviewers.map(userReviewer),
    settings: settingsOf(settings.options, settings.schedule, settings.scope),
  };
}
