import { addMonths, daysBetween } from './defaults';
import { isGuestScope } from './definition';
import { INACTIVE_DAYS, type Frequency, type ReviewSettings, type SettingsField, type SettingsProblem } from './settings';
import { aReview, DATE_FORMAT, dateProblem, FREQUENCY, isIntegerIn, isIsoDate, plural, writtenAsDate } from './vocabulary';

/**
 * What is wrong with review settings, field by field, in plain words that say what is allowed: the wizard re-asks
 * the step of each field, quick create names it. The rules mirror what Graph refuses with a 400 (reference §2–3),
 * so a create only fails for reasons settings cannot know (a deleted group, a missing role). Pure.
 */

/** A one-time review has no next run to collide with; a year is the longest the wizard offers. */
const MAX_ONE_TIME_DAYS = 365;
const MAX_NAME = 256;
/** Mail to reviewers cuts the description at 256 characters (trap 29). */
const MAX_DESCRIPTION = 256;

/**
 * The longest a run may last: until the next run starts (Graph requires the duration to fit in one recurrence period).
 * Months are calendar months from the start date, clamped like Graph (Jan 31 → Feb 28), so 28..31 days for monthly.
 */
export function maxDurationDays(frequency: Frequency, startDate: string): number {
  const months = FREQUENCY[frequency].months;
  if (months !== undefined) return daysBetween(startDate, addMonths(startDate, months));
  return frequency === 'weekly' ? 7 : MAX_ONE_TIME_DAYS;
}

/** Every problem of `settings`, at most one per field (several reasons for one field are joined); [] when all is well. */
export function validateSettings(settings: ReviewSettings, today: string): SettingsProblem[] {
  const problems = new Map<SettingsField, string>();
  const report = (field: SettingsField, reason: string): void => {
    const previous = problems.get(field);
    problems.set(field, previous === undefined ? reason : `${previous} ${reason}`);
  };
  const { scope, reviewers, schedule, options } = settings;

  if (scope.kind !== 'allGroupsGuests' && scope.group.id.trim() === '') report('group', 'Choose the group to review.');
  if (scope.kind === 'inactive') {
    const days = scope.inactiveDays;
    if (!isIntegerIn(days, INACTIVE_DAYS)) {
      report('inactiveDays', `"Inactive for" must be a whole number of days from ${INACTIVE_DAYS.min} to ${INACTIVE_DAYS.max} (not ${days}).`);
    }
  }

  if (reviewers.kind === 'users' && reviewers.users.length === 0) {
    report('reviewers', 'Name at least one person to review, or choose group owners, managers or self-review.');
  }
  if ((reviewers.kind === 'owners' || reviewers.kind === 'managers') && settings.fallbackReviewers.length === 0) {
    const [who, when] = reviewers.kind === 'owners' ? ['group owners', 'a group has no owners'] : ['managers', 'someone has no manager'];
    report('fallbackReviewers', `Reviews by ${who} need at least one fallback reviewer, who reviews when ${when}.`);
  }

  const startValid = isIsoDate(schedule.startDate);
  if (!startValid) {
    report('startDate', writtenAsDate(schedule.startDate)
      ? `The start date ${schedule.startDate} ${dateProblem(schedule.startDate) ?? ''}.`
      : `"${schedule.startDate}" is not a date: write it as ${DATE_FORMAT}, for example ${today}.`);
  } else if (schedule.startDate < today) {
    report('startDate', `The start date ${schedule.startDate} is in the past: choose today (${today}) or a later date.`);
  }

  const duration = schedule.durationDays;
  if (!isIntegerIn(duration)) {
    report('durationDays', `Each run must last a whole number of days, at least 1 (not ${duration}).`);
  } else if (startValid || schedule.frequency === 'once' || schedule.frequency === 'weekly') {
    // Monthly and longer periods depend on the start date: without a valid one there is nothing to compare with.
    const max = maxDurationDays(schedule.frequency, schedule.startDate);
    if (duration > max) {
      const from = schedule.frequency === 'weekly' ? '' : ` starting ${schedule.startDate}`;
      report('durationDays', schedule.frequency === 'once'
        ? `A one-time review can last at most ${plural(max, 'day')} (not ${duration}).`
        : `Each run of ${aReview(schedule.frequency)}${from} must end before the next one starts: ` +
          `at most ${plural(max, 'day')} (not ${duration}).`);
    }
  }

  // The end only matters for recurring reviews (ReviewSchedule.end: "Ignored for one-time reviews").
  const end = schedule.end;
  if (schedule.frequency !== 'once' && end.kind === 'date') {
    if (!isIsoDate(end.date)) {
      report('end', writtenAsDate(end.date)
        ? `The end date ${end.date} ${dateProblem(end.date) ?? ''}.`
        : `"${end.date}" is not a date: write the end date as ${DATE_FORMAT}.`);
    } else if (startValid && end.date <= schedule.startDate) {
      report('end', `The end date ${end.date} must be after the start date ${schedule.startDate}.`);
    }
  }
  if (schedule.frequency !== 'once' && end.kind === 'count' && !isIntegerIn(end.count)) {
    report('end', `The number of runs must be a whole number, at least 1 (not ${end.count}).`);
  }

  if (settings.name.trim() === '') report('name', 'Give the review a name (1 to 256 characters).');
  else if (settings.name.length > MAX_NAME) {
    report('name', `The name can have at most ${MAX_NAME} characters (it has ${settings.name.length}).`);
  }
  if (settings.descriptionForReviewers.length > MAX_DESCRIPTION) {
    report('descriptionForReviewers', `The description for reviewers can have at most ${MAX_DESCRIPTION} characters ` +
      `(it has ${settings.descriptionForReviewers.length}): mail to reviewers cuts off the rest.`);
  }

  if (options.autoApply && scope.kind !== 'allGroupsGuests') {
    // Graph cannot change the membership of these groups when it applies results (product spec, wizard step 2).
    if (scope.group.isDynamic) {
      report('options', `Auto-apply is not possible: ${scope.group.displayName} is a dynamic group, whose membership only its rule ` +
        'changes. Turn auto-apply off.');
    } else if (scope.group.isAssignableToRole) {
      report('options', `Auto-apply is not possible: ${scope.group.displayName} is a role-assignable group. Turn auto-apply off.`);
    }
  }
  if (options.deniedGuests === 'blockThenDelete' && !isGuestScope(scope)) {
    report('options', '"Block sign-in, then delete" only applies to reviews of guests: for a review of members, denied people are ' +
      'removed from the group.');
  }

  return [...problems].map(([field, reason]) => ({ field, reason }));
}
