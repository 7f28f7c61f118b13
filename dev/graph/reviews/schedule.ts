import { addDuration } from '../../shared/duration';

/**
 * Recurrence of an access review as Graph honours it: one time (`pattern: null`), `weekly` or
 * `absoluteMonthly` with an interval, ending never, on a date, or after a number of occurrences.
 */
export interface Schedule {
  /** 00:00 UTC of `range.startDate`. */
  start: Date;
  pattern: { type: 'weekly' | 'absoluteMonthly'; interval: number } | null;
  /** Last day (inclusive, 00:00 UTC) an occurrence may start; undefined = no end date. */
  endDate: Date | undefined;
  /** Number of occurrences; undefined = unlimited (until endDate). */
  count: number | undefined;
  /** Days an instance lasts; 0 on a recurring review: until the next occurrence starts (see scheduleOf). */
  durationDays: number;
}

const DAY = 86_400_000;

export const parseDate = (text: string): Date => new Date(`${text.slice(0, 10)}T00:00:00Z`);
export const formatDate = (date: Date): string => date.toISOString().slice(0, 10);
export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY);

const addMonthsClamped = (date: Date, months: number): Date => addDuration(date, { years: 0, months, days: 0, milliseconds: 0 });

/** Where occurrence `k` of a recurring pattern falls, whether or not the series still runs then. */
function patternDate(schedule: Schedule & { pattern: NonNullable<Schedule['pattern']> }, k: number): Date {
  return schedule.pattern.type === 'weekly'
    ? addDays(schedule.start, 7 * schedule.pattern.interval * k)
    : addMonthsClamped(schedule.start, schedule.pattern.interval * k);
}

/** Start of occurrence `k` (0-based), or undefined when the series has ended before it. */
export function occurrenceStart(schedule: Schedule, k: number): Date | undefined {
  if (schedule.pattern === null) return k === 0 ? schedule.start : undefined;
  if (schedule.count !== undefined && k >= schedule.count) return undefined;
  const start = patternDate({ ...schedule, pattern: schedule.pattern }, k);
  if (schedule.endDate !== undefined && start.getTime() > schedule.endDate.getTime()) return undefined;
  return start;
}

/** Days between the first two occurrences: the longest an instance may last. Infinity for one-time reviews. */
export function periodDays(schedule: Schedule): number {
  if (schedule.pattern === null) return Infinity;
  const second = schedule.pattern.type === 'weekly'
    ? addDays(schedule.start, 7 * schedule.pattern.interval)
    : addMonthsClamped(schedule.start, schedule.pattern.interval);
  return Math.round((second.getTime() - schedule.start.getTime()) / DAY);
}

/**
 * End of the instance that starts at `occurrence` (occurrence number `k`). A recurring review with
 * `instanceDurationInDays: 0` (Microsoft's Microsoft 365 group tutorial creates one) lasts its whole period: it
 * ends when occurrence `k + 1` is due, the longest an instance may run.
 */
export function instanceEnd(schedule: Schedule, occurrence: Date, k = 0): Date {
  if (schedule.durationDays > 0 || schedule.pattern === null) return addDays(occurrence, Math.max(schedule.durationDays, 1));
  return patternDate({ ...schedule, pattern: schedule.pattern }, k + 1);
}

/** The schedule stored in a definition's (normalised) `settings`. */
export function scheduleOf(settings: { instanceDurationInDays: number; recurrence: StoredRecurrence }): Schedule {
  const { pattern, range } = settings.recurrence;
  const endDate = range.endDate && range.endDate !== '9999-12-31' ? parseDate(range.endDate) : undefined;
  const start = parseDate(range.startDate);
  const rangeDays = endDate ? Math.round((endDate.getTime() - start.getTime()) / DAY) : 0;
  // A one-time review ends on its range endDate when it has one (reference 3.7, trap 22; the security group tutorial
  // sends instanceDurationInDays 0 with an end date), whatever the duration says. A recurring review with 0 keeps 0:
  // its instances last until the next occurrence (instanceEnd).
  const durationDays = pattern === null && rangeDays > 0 ? rangeDays
    : settings.instanceDurationInDays > 0 ? settings.instanceDurationInDays : pattern === null ? 1 : 0;
  return {
    start,
    pattern: pattern ? { type: pattern.type, interval: pattern.interval } : null,
    endDate: pattern ? endDate : undefined,
    count: range.type === 'numbered' && (range.numberOfOccurrences ?? 0) > 0 ? range.numberOfOccurrences : undefined,
    durationDays,
  };
}

export interface StoredRecurrence {
  pattern: { type: 'weekly' | 'absoluteMonthly'; interval: number; [key: string]: unknown } | null;
  range: { type: string; startDate: string; endDate?: string | null; numberOfOccurrences?: number; [key: string]: unknown };
}
