import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import { describeRecurrence, describeScope, reviewedGroupId } from './describe';
import { describeReviewers, reviewerGroupIds } from './describeDefinition';
import { describeSettings } from './describeSettings';
import { DEFAULT_OPTIONS, type DefaultDecision, type Frequency, type RecurrenceEnd, type ReviewerChoice, type ReviewScope, type ReviewSettings, type UserRef } from './settings';

/**
 * An existing definition read back into the settings words of the confirmation card (reviews/describeSettings.ts),
 * for `show`. Pure. Graph echoes what the service stored (queries with `/v1.0`, casts and query strings, `./manager`
 * with queryRoot `decisions`, "no end" as numbered 0 / 9999-12-31): read tolerantly. A definition the wizard could not
 * have made (other resources, mixed reviewers, other intervals) is still described, line by line, in the list's words.
 */

const USER = /^(?:\/(?:v1\.0|beta))?\/users\/([0-9a-fA-F-]{36})(?:[/?]|$)/i;
const GUESTS = /userType\s+eq\s+'Guest'/i;
const INACTIVE = '#microsoft.graph.accessReviewInactiveUsersQueryScope';
const DELETE_GUESTS = '#microsoft.graph.disableAndDeleteUserApplyAction';
const MONTHS: Readonly<Record<number, Frequency>> = { 1: 'monthly', 3: 'quarterly', 6: 'semiannually', 12: 'annually' };

/** The ids a definition's words need names for: groups (scope, reviewers) and users (named and fallback reviewers). */
export function namesNeeded(definition: AccessReviewScheduleDefinition): { groups: string[]; users: string[] } {
  const group = reviewedGroupId(definition);
  const users = [...(definition.reviewers ?? []), ...(fallbackOf(definition) ?? [])]
    .map((reviewer) => USER.exec(reviewer.query?.trim() ?? '')?.[1]?.toLowerCase()).filter((id): id is string => id !== undefined);
  return { groups: [...new Set([...(group === undefined ? [] : [group]), ...reviewerGroupIds(definition.reviewers)])], users: [...new Set(users)] };
}

type Reviewer = { query?: string | null; queryRoot?: string | null };
const fallbackOf = (definition: AccessReviewScheduleDefinition): Reviewer[] | undefined =>
  (definition as { fallbackReviewers?: Reviewer[] | null }).fallbackReviewers ?? undefined;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function scopeOf(definition: AccessReviewScheduleDefinition, groups: ReadonlyMap<string, string>): ReviewScope | undefined {
  const scope = (definition.scope ?? {}) as { query?: string | null; '@odata.type'?: string | null; inactiveDuration?: string | null };
  const query = scope.query?.trim() ?? '';
  const guests = GUESTS.test(decode(query));
  if (query.startsWith('./')) return guests ? { kind: 'allGroupsGuests' } : undefined;
  const id = reviewedGroupId(definition);
  if (id === undefined) return undefined;
  const group = { id, displayName: groups.get(id) ?? 'a group' };
  if (scope['@odata.type'] === INACTIVE) {
    const days = Number(/^P(\d+)D$/.exec(scope.inactiveDuration ?? '')?.[1]);
    return Number.isInteger(days) && !guests ? { kind: 'inactive', group, inactiveDays: days } : undefined;
  }
  return guests ? { kind: 'guests', group } : { kind: 'members', group };
}

const userRef = (query: string | null | undefined, users: ReadonlyMap<string, string>): UserRef | undefined => {
  const id = USER.exec(query?.trim() ?? '')?.[1]?.toLowerCase();
  return id === undefined ? undefined : { id, displayName: users.get(id) ?? 'someone no longer in the directory' };
};

function reviewersOf(reviewers: readonly Reviewer[], users: ReadonlyMap<string, string>): ReviewerChoice | undefined {
  if (reviewers.length === 0) return { kind: 'self' };
  const queries = reviewers.map((reviewer) => reviewer.query?.trim() ?? '');
  if (queries.length === 1 && /^\.\/manager(?:[/?]|$)/i.test(queries[0] ?? '')) return { kind: 'managers' };
  if (queries.length === 1 && /^(?:\.|(?:\/(?:v1\.0|beta))?\/groups\/[0-9a-fA-F-]{36})\/owners(?:[/?]|$)/i.test(queries[0] ?? '')) return { kind: 'owners' };
  const named = reviewers.map((reviewer) => userRef(reviewer.query, users));
  return named.every((user): user is UserRef => user !== undefined) ? { kind: 'users', users: named } : undefined;
}

function scheduleOf(definition: AccessReviewScheduleDefinition): ReviewSettings['schedule'] | undefined {
  const settings = definition.settings;
  const pattern = settings?.recurrence?.pattern;
  const range = settings?.recurrence?.range;
  const startDate = (range?.startDate ?? '').slice(0, 10);
  const durationDays = settings?.instanceDurationInDays ?? 0;
  // No start date (a definition read without its recurrence): said in the list's words, never computed from.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) return undefined;
  if (!pattern?.type) return { frequency: 'once', startDate, durationDays, end: { kind: 'never' } };
  const interval = pattern.interval ?? 1;
  const frequency: Frequency | undefined = pattern.type === 'weekly' ? (interval === 1 ? 'weekly' : undefined)
    : pattern.type === 'absoluteMonthly' ? MONTHS[interval] : undefined;
  if (frequency === undefined) return undefined;
  const endDate = (range?.endDate ?? '').slice(0, 10);
  const count = range?.numberOfOccurrences ?? 0;
  // Graph echoes "no end" as numbered 0 with endDate 9999-12-31.
  const end: RecurrenceEnd = range?.type === 'endDate' && endDate !== '' && !endDate.startsWith('9999') ? { kind: 'date', date: endDate }
    : range?.type === 'numbered' && count > 0 ? { kind: 'count', count } : { kind: 'never' };
  return { frequency, startDate, durationDays, end };
}

function optionsOf(definition: AccessReviewScheduleDefinition): ReviewSettings['options'] {
  const settings = definition.settings ?? {};
  const decision = (settings.defaultDecision ?? '').toLowerCase();
  const defaultDecision: DefaultDecision = settings.defaultDecisionEnabled === true && ['approve', 'deny', 'recommendation'].includes(decision)
    ? decision as DefaultDecision : 'none';
  const actions = (settings.applyActions ?? []) as Array<{ '@odata.type'?: string }>;
  return {
    ...DEFAULT_OPTIONS,
    justificationRequired: settings.justificationRequiredOnApproval === true,
    showRecommendations: settings.recommendationsEnabled === true,
    defaultDecision,
    autoApply: settings.autoApplyDecisionsEnabled === true,
    deniedGuests: actions.some((action) => action['@odata.type'] === DELETE_GUESTS) ? 'blockThenDelete' : 'remove',
    mailNotifications: settings.mailNotificationsEnabled === true,
    reminders: settings.reminderNotificationsEnabled === true,
  };
}

/** The settings a definition stands for, when the wizard could have made it; undefined otherwise. */
export function settingsFromDefinition(definition: AccessReviewScheduleDefinition, groups: ReadonlyMap<string, string>,
  users: ReadonlyMap<string, string>): ReviewSettings | undefined {
  const scope = scopeOf(definition, groups);
  const reviewers = reviewersOf((definition.reviewers ?? []), users);
  const schedule = scheduleOf(definition);
  if (scope === undefined || reviewers === undefined || schedule === undefined) return undefined;
  return {
    scope, reviewers, schedule, options: optionsOf(definition),
    fallbackReviewers: (fallbackOf(definition) ?? []).map((reviewer) => userRef(reviewer.query, users)).filter((user): user is UserRef => user !== undefined),
    name: definition.displayName ?? '(no name)',
    descriptionForReviewers: definition.descriptionForReviewers ?? '',
    descriptionForAdmins: definition.descriptionForAdmins ?? '',
  };
}

/** A definition's settings as label / value rows: the confirmation card's words, or the list's words for a shape it cannot say. */
export function describeDefinitionSettings(definition: AccessReviewScheduleDefinition, groups: ReadonlyMap<string, string>,
  users: ReadonlyMap<string, string>): Array<{ label: string; value: string }> {
  const settings = settingsFromDefinition(definition, groups, users);
  if (settings !== undefined) return describeSettings(settings);
  return [
    { label: 'What', value: describeScope(definition, groups) },
    { label: 'Reviewers', value: describeReviewers(definition, groups) },
    { label: 'How often', value: describeRecurrence(definition.settings?.recurrence) },
    { label: 'Name', value: definition.displayName ?? '(no name)' },
  ];
}
