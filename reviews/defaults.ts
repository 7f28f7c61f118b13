import {
  DEFAULT_DURATION_DAYS, DEFAULT_OPTIONS, type Frequency, type ReviewerChoice, type ReviewOptions, type ReviewSchedule,
  type ReviewScope, type ReviewSettings, type UserRef,
} from './settings';
import { FREQUENCY } from './vocabulary';

/**
 * Defaults of the creation wizard and quick create (product spec "Creation wizard", "Quick create grammar"):
 * generated names and descriptions, and a draft completed into full settings. Plus the calendar arithmetic the
 * domain shares (dates are `YYYY-MM-DD`, computed in UTC so no time zone shifts a day; reading one is
 * `parseIsoDate` in ./vocabulary).
 */

/** What the wizard or the quick-create parser has chosen so far; everything but the scope has a default. */
export interface SettingsDraft {
  scope: ReviewScope;
  reviewers?: ReviewerChoice;
  fallbackReviewers?: UserRef[];
  schedule?: Partial<ReviewSchedule>;
  options?: Partial<ReviewOptions>;
  name?: string;
  descriptionForReviewers?: string;
  /** Groups reviewed before a change (ReviewSettings.formerGroupNames); the current group is left out. */
  formerGroupNames?: string[];
}

const DAY_MS = 86_400_000;
/** Graph's limits: displayName 1..256; descriptionForReviewers is cut at 256 in mail (trap 29). */
const MAX_TEXT = 256;

const utc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const format = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `date` + `n` days. */
export const addDays = (date: string, n: number): string => format(utc(date) + n * DAY_MS);

/** `date` + `months`, clamped to the month's last day (Jan 31 + 1 month = Feb 28), as Graph's monthly recurrence. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return format(Date.UTC(year, month - 1 + months, Math.min(day, lastDay)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((utc(to) - utc(from)) / DAY_MS);

/** Fills `template` with `name`, cutting the name (never the rest) so the whole stays within `max` characters. */
function fit(template: (name: string) => string, name: string, max = MAX_TEXT): string {
  const full = template(name);
  if (full.length <= max) return full;
  const room = Math.max(max - template('').length - 1, 0);
  return template(`${name.slice(0, room)}…`);
}

/** "Sales Team guests – quarterly review", "Guests in all Microsoft 365 groups – one-time review". */
export function generateName(scope: ReviewScope, frequency: Frequency): string {
  const review = ` – ${FREQUENCY[frequency].adjective} review`;
  switch (scope.kind) {
    case 'members':
      return fit((group) => `${group} members${review}`, scope.group.displayName);
    case 'guests':
      return fit((group) => `${group} guests${review}`, scope.group.displayName);
    case 'inactive':
      return fit((group) => `${group} inactive members (${scope.inactiveDays} days)${review}`, scope.group.displayName);
    case 'allGroupsGuests':
      return `Guests in all Microsoft 365 groups${review}`;
  }
}

/** Descriptions for reviewers (≤ 256 characters: mail cuts the rest) and for admins. */
export function defaultDescriptions(scope: ReviewScope): { descriptionForReviewers: string; descriptionForAdmins: string } {
  const origin = 'Created with the Access Reviews bot in Microsoft Teams.';
  switch (scope.kind) {
    case 'members':
      return {
        descriptionForReviewers: fit((g) => `Please confirm who still needs to be a member of ${g}. ` +
          'Deny access for anyone who no longer needs it.', scope.group.displayName),
        descriptionForAdmins: `Review of the members of ${scope.group.displayName} (group ${scope.group.id}). ${origin}`,
      };
    case 'guests':
      return {
        descriptionForReviewers: fit((g) => `Please confirm which guests still need access to ${g}. ` +
          'Deny access for guests who no longer need it.', scope.group.displayName),
        descriptionForAdmins: `Review of the guests of ${scope.group.displayName} (group ${scope.group.id}). ${origin}`,
      };
    case 'inactive':
      return {
        descriptionForReviewers: fit((g) => `These members of ${g} have not signed in for ${scope.inactiveDays} days or more. ` +
          'Please confirm who still needs access and deny the others.', scope.group.displayName),
        descriptionForAdmins: `Review of the members of ${scope.group.displayName} (group ${scope.group.id}) inactive for ` +
          `${scope.inactiveDays} days or more. ${origin}`,
      };
    case 'allGroupsGuests':
      return {
        descriptionForReviewers: 'This Microsoft 365 group has guests. Please confirm which guests still need access to it ' +
          'and deny access for the others.',
        descriptionForAdmins: `Review of the guests in every Microsoft 365 group (one review per group with guests). ${origin}`,
      };
  }
}

/** The display name of the group a scope reviews; undefined for all groups. */
export const groupNameOf = (scope: ReviewScope): string | undefined => (scope.kind === 'allGroupsGuests' ? undefined : scope.group.displayName);

/**
 * The texts of `settings` the requester wrote: those that differ from what is generated for its own choices. A
 * generated one is left out, so that it is generated again after a change (issue 10: a new group must not keep the
 * old group's name in the mail to reviewers).
 */
export function ownTexts(settings: ReviewSettings): Pick<SettingsDraft, 'name' | 'descriptionForReviewers'> {
  const name = generateName(settings.scope, settings.schedule.frequency);
  const { descriptionForReviewers } = defaultDescriptions(settings.scope);
  return {
    ...(settings.name !== name ? { name: settings.name } : {}),
    ...(settings.descriptionForReviewers !== descriptionForReviewers ? { descriptionForReviewers: settings.descriptionForReviewers } : {}),
  };
}

/** `names` without repeats (any case) and without the group reviewed now. */
function formerGroups(names: readonly string[] | undefined, scope: ReviewScope): string[] {
  const current = groupNameOf(scope)?.toLowerCase();
  const kept = new Map<string, string>();
  for (const name of names ?? []) {
    const key = name.toLowerCase();
    if (key !== current && name.trim() !== '' && !kept.has(key)) kept.set(key, name);
  }
  return [...kept.values()];
}

/** The object without its `undefined` values: a draft's `{ autoApply: undefined }` must not erase a default. */
function defined<T extends object>(partial: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(partial ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Full settings from a draft, with the product defaults: owners review, the requester is the fallback for owners and
 * managers, one time, starting today, 14 days, no end, DEFAULT_OPTIONS, generated name and descriptions.
 */
export function completeSettings(draft: SettingsDraft, requester: UserRef, today: string): ReviewSettings {
  const reviewers = draft.reviewers ?? { kind: 'owners' };
  const needsFallback = reviewers.kind === 'owners' || reviewers.kind === 'managers';
  // An empty list counts as "not chosen": owners and managers must have a fallback, so the requester it is.
  const chosen = draft.fallbackReviewers ?? [];
  const fallbackReviewers = chosen.length > 0 ? chosen : needsFallback ? [requester] : [];
  const schedule: ReviewSchedule = {
    frequency: 'once', startDate: today, durationDays: DEFAULT_DURATION_DAYS, end: { kind: 'never' },
    ...defined<ReviewSchedule>(draft.schedule),
  };
  const descriptions = defaultDescriptions(draft.scope);
  const former = formerGroups(draft.formerGroupNames, draft.scope);
  return {
    scope: draft.scope,
    reviewers,
    fallbackReviewers,
    schedule,
    options: { ...DEFAULT_OPTIONS, ...defined<ReviewOptions>(draft.options) },
    name: draft.name ?? generateName(draft.scope, schedule.frequency),
    descriptionForReviewers: draft.descriptionForReviewers ?? descriptions.descriptionForReviewers,
    descriptionForAdmins: descriptions.descriptionForAdmins,
    ...(former.length > 0 ? { formerGroupNames: former } : {}),
  };
}
