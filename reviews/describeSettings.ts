import { addDays } from './defaults';
import { describeRecurrence } from './describe';
import { isGuestScope, toRecurrence } from './definition';
import { namesOf } from './impact';
import type { DefaultDecision, ReviewSettings } from './settings';
import { statusWords } from './status';
import { isIsoDate, plural } from './vocabulary';

/**
 * Every setting of a review about to be created, in plain words, for the confirmation card (product spec, wizard
 * step 6), and the link of the result card. Pure.
 */

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * "Monday 2 March 2026": names written out, not left to the runtime's locale data. Text that is no calendar day is
 * shown as is (Date would read 2026-02-30 as 2 March).
 */
export function formatDay(date: string): string {
  if (!isIsoDate(date)) return date;
  const day = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[day.getUTCDay()] ?? ''} ${day.getUTCDate()} ${MONTH_NAMES[day.getUTCMonth()] ?? ''} ${day.getUTCFullYear()}`;
}

const days = (n: number): string => plural(n, 'day');
const onOff = (on: boolean, yes: string, no: string): string => (on ? yes : no);

const NO_RESPONSE: Record<DefaultDecision, string> = {
  none: 'No change: access stays as it is',
  approve: 'Approve: they keep access',
  deny: 'Deny: they lose access',
  recommendation: "Take Microsoft Entra's recommendations",
};

function what(settings: ReviewSettings): string {
  switch (settings.scope.kind) {
    case 'members': return 'Members of a group';
    case 'guests': return 'Guests of a group';
    case 'inactive': return `Inactive users of a group (no sign-in for ${days(settings.scope.inactiveDays)})`;
    case 'allGroupsGuests': return 'Guests in all Microsoft 365 groups';
  }
}

function group(settings: ReviewSettings): string {
  const scope = settings.scope;
  if (scope.kind === 'allGroupsGuests') {
    return 'Every Microsoft 365 group that has guests, each reviewed separately (dynamic and role-assignable groups are left out)';
  }
  const flags = [scope.group.isDynamic ? 'dynamic membership' : '', scope.group.isAssignableToRole ? 'role-assignable' : '']
    .filter((flag) => flag !== '');
  return flags.length === 0 ? scope.group.displayName : `${scope.group.displayName} (${flags.join(', ')})`;
}

function reviewers(settings: ReviewSettings): string {
  const choice = settings.reviewers;
  switch (choice.kind) {
    case 'owners': return settings.scope.kind === 'allGroupsGuests' ? 'The owners of each group' : 'The group owners';
    case 'managers': return "Each person's manager";
    case 'users': return namesOf(choice.users);
    case 'self': return 'Each person reviews their own access';
  }
}

function fallback(settings: ReviewSettings): string {
  if (settings.fallbackReviewers.length > 0) return namesOf(settings.fallbackReviewers);
  const needed = settings.reviewers.kind === 'owners' || settings.reviewers.kind === 'managers';
  return needed ? 'None (one is required)' : 'None (not needed)';
}

function ends(settings: ReviewSettings): string {
  const { frequency, startDate, durationDays, end } = settings.schedule;
  if (frequency === 'once') return `After its only run, on ${formatDay(addDays(startDate, durationDays))}`;
  switch (end.kind) {
    case 'never': return 'Never: it repeats until someone stops it';
    case 'date': return `No new run starts after ${formatDay(end.date)}`;
    case 'count': return `After ${plural(end.count, 'run')}`;
  }
}

function notifications(settings: ReviewSettings): string {
  const { mailNotifications, reminders } = settings.options;
  if (mailNotifications && reminders) return 'Emails to reviewers, and reminders';
  if (mailNotifications) return 'Emails to reviewers, no reminders';
  return reminders ? 'Reminders only' : 'None';
}

/** Label/value rows, in the wizard's order; "Denied guests" only for reviews of guests. */
export function describeSettings(settings: ReviewSettings): Array<{ label: string; value: string }> {
  const { schedule, options } = settings;
  const guestScope = isGuestScope(settings.scope);
  const rows: Array<{ label: string; value: string } | undefined> = [
    { label: 'What', value: what(settings) },
    { label: 'Group', value: group(settings) },
    { label: 'Reviewers', value: reviewers(settings) },
    { label: 'Fallback', value: fallback(settings) },
    // The wording of existing reviews' lists, from the same recurrence Graph will store.
    { label: 'How often', value: describeRecurrence(toRecurrence(schedule)) },
    { label: 'Starts', value: formatDay(schedule.startDate) },
    { label: 'Each run lasts', value: days(schedule.durationDays) },
    { label: 'Ends', value: ends(settings) },
    { label: 'Justification', value: onOff(options.justificationRequired, 'Required to approve', 'Not required') },
    { label: 'Recommendations', value: onOff(options.showRecommendations, 'Shown to reviewers', 'Not shown') },
    { label: "If reviewers don't respond", value: NO_RESPONSE[options.defaultDecision] },
    { label: 'Auto-apply', value: onOff(options.autoApply, 'On: results are applied when each run ends', 'Off: results are applied by hand') },
    guestScope
      ? {
        label: 'Denied guests',
        value: options.deniedGuests === 'blockThenDelete' ? 'Blocked from signing in, then deleted after 30 days' : 'Removed from the group',
      }
      : undefined,
    { label: 'Notifications', value: notifications(settings) },
    { label: 'Name', value: settings.name },
    { label: 'Description for reviewers', value: settings.descriptionForReviewers },
  ];
  return rows.filter((row): row is { label: string; value: string } => row !== undefined);
}

/**
 * The status of a review just created, for the result card. Graph says NotStarted until the service starts the first
 * run, which for a start date of today happens within minutes (and `reviews` then says it is running), so Graph's
 * word would mislead: a review starting today "Starts within minutes", a later one is scheduled for its day; any other
 * status is said in words (reviews/status.ts). `today` is the day the card is drawn.
 */
export function createdStatus(status: string, startDate: string | undefined, today: string): string {
  if (status.trim().toLowerCase() !== 'notstarted' || startDate === undefined || !isIsoDate(startDate)) return statusWords(status);
  if (startDate === today) return 'Starts within minutes';
  // The card can be drawn again days later (a second press): it then says when the review was due, not that it waits.
  return startDate > today ? `Scheduled: starts on ${formatDay(startDate)}` : `Created to start on ${formatDay(startDate)}`;
}

/** "Monday 2 June 2025 (today)", "Friday 20 June 2025". */
export const firstRunText = (startDate: string, today: string): string => `${formatDay(startDate)}${startDate === today ? ' (today)' : ''}`;

/** Where admins manage access reviews in the Microsoft Entra admin center. */
export function adminCenterLink(_definitionId: string): string {
  // The per-review blade URL is not verified, so this is the access reviews list, not the review itself.
  return 'https://entra.microsoft.com/#view/Microsoft_AAD_ERM/DashboardBlade/~/Controls';
}
