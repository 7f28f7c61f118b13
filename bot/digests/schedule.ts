import { Cron } from 'croner';

/**
 * When a subscription's digests fall due (pure; croner does the calendar and time-zone arithmetic, DST included).
 *
 * A cadence has a sequence of due instants (every day, or every week on one weekday, at a local wall-clock time in
 * an IANA zone). A **period** runs from one due instant up to the next; its key is the local date (YYYY-MM-DD, in
 * the cadence's zone) of its due instant, which is unique per period for both daily and weekly cadences and reads
 * well in logs. DST: a time that does not exist that day (02:30 on the spring-forward night) runs at the first
 * valid minute after the gap (03:00); a time that happens twice (01:30 on the fall-back night) runs once, at the
 * first occurrence.
 */
export interface Cadence {
  every: 'day' | 'week';
  /** 0 = Sunday … 6 = Saturday; only (and always) for weekly cadences. */
  weekday?: number;
  /** Local wall-clock time, 'HH:MM' (24 h). */
  time: string;
  /** IANA zone, e.g. 'Europe/Paris'. */
  timeZone: string;
}

export interface Period {
  key: string;
  dueAt: Date;
}

/** Defaults for words that leave a part out: weekly means Monday, and either cadence runs at 09:00. */
export const DEFAULT_WEEKDAY = 1;
export const DEFAULT_TIME = '09:00';

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const TIME = /^([01]?\d|2[0-3])(?::([0-5]\d))?$/;

/** True when the runtime knows `zone` as a time zone (IANA names, plus 'UTC'). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone !== '';
  } catch {
    // RangeError is the runtime's only answer for an unknown zone; nothing else can be thrown here.
    return false;
  }
}

function cronOf(cadence: Cadence): Cron {
  const [hours, minutes] = cadence.time.split(':').map(Number);
  const day = cadence.every === 'week' ? String(cadence.weekday ?? DEFAULT_WEEKDAY) : '*';
  return new Cron(`${minutes} ${hours} * * ${day}`, { timezone: cadence.timeZone, paused: true });
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function localDate(instant: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (format === undefined) {
    // en-CA formats as YYYY-MM-DD. One formatter per zone: there are a few hundred zones at most.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** The period whose due instant is `dueAt` (a due instant of this cadence). */
export function periodOf(cadence: Cadence, dueAt: Date): Period {
  return { key: localDate(dueAt, cadence.timeZone), dueAt };
}

/** The first due instant strictly after `after`. */
export function nextDue(cadence: Cadence, after: Date): Date {
  const next = cronOf(cadence).nextRun(after);
  // A day or weekday at a valid time always recurs; null would mean croner broke that promise.
  if (next === null) throw new Error(`no due instant after ${after.toISOString()} for ${describeCadence(cadence)}`);
  return next;
}

/** The period containing `instant`: the one whose due instant is the latest at or before `instant`. */
export function periodAt(cadence: Cadence, instant: Date): Period {
  const cron = cronOf(cadence);
  // croner's previousRuns is exclusive of its reference, hence + 1 ms; checked against nextRun, the primitive the
  // rest of this module uses, so a disagreement between the two falls back to walking forward.
  const [previous] = cron.previousRuns(1, new Date(instant.getTime() + 1));
  if (previous !== undefined && previous.getTime() <= instant.getTime() && nextDue(cadence, previous).getTime() > instant.getTime()) {
    return periodOf(cadence, previous);
  }
  let due = nextDue(cadence, new Date(instant.getTime() - 8 * 24 * 3600_000));
  for (;;) {
    const next = nextDue(cadence, due);
    if (next.getTime() > instant.getTime()) return periodOf(cadence, due);
    due = next;
  }
}

/** "every Monday at 09:00 (Europe/Paris)" / "every day at 18:30 (UTC)". */
export function describeCadence(cadence: Cadence): string {
  const day = cadence.every === 'week' ? WEEKDAY_NAMES[cadence.weekday ?? DEFAULT_WEEKDAY] : 'day';
  return `every ${day} at ${cadence.time} (${cadence.timeZone})`;
}

export type CadenceParse = { ok: true; cadence: Cadence } | { ok: false; error: string };

const fail = (error: string): CadenceParse => ({ ok: false, error });

function weekdayOf(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/s$/, '');
  const index = WEEKDAY_NAMES.findIndex((name) => {
    const full = name.toLowerCase();
    return lower === full || (lower.length >= 3 && full.startsWith(lower));
  });
  return index === -1 ? undefined : index;
}

const USAGE = 'Say `daily [at HH:MM]` or `weekly [on <weekday>] [at HH:MM]`, for example `weekly on Friday at 16:00`.';

/**
 * Reads the user's words `daily|weekly [on <weekday>] [at HH:MM]` (any case, `on` and `at` in either order;
 * `at 9` means 09:00). Defaults: Monday, 09:00. `timeZone` is the subscriber's (`localTimezone` of the activity);
 * without it, or with one the runtime does not know, nothing is created and the error says so. Never throws.
 */
export function parseCadence(text: string, timeZone: string | undefined): CadenceParse {
  if (timeZone === undefined || timeZone.trim() === '') {
    return fail('Teams did not tell me your time zone, so I cannot know when your morning is. Try again from the Teams app.');
  }
  if (!isKnownTimeZone(timeZone)) return fail(`I do not know the time zone "${timeZone.slice(0, 64)}" that Teams reported for you.`);
  const words = text.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return fail(`When should the digest come? ${USAGE}`);
  if (words.length > 5) return fail(`That is more than I understand. ${USAGE}`);
  const head = words[0].toLowerCase();
  if (head !== 'daily' && head !== 'weekly') return fail(`I did not understand "${words[0].slice(0, 40)}". ${USAGE}`);
  const every = head === 'daily' ? 'day' : 'week';
  let weekday: number | undefined;
  let time: string | undefined;
  for (let i = 1; i < words.length; i += 2) {
    const keyword = words[i].toLowerCase();
    const value = words[i + 1];
    if (keyword === 'on' && value !== undefined && weekday === undefined) {
      if (every === 'day') return fail('A daily digest comes every day; `on <weekday>` goes with `weekly`.');
      weekday = weekdayOf(value);
      if (weekday === undefined) return fail(`"${value.slice(0, 40)}" is not a weekday. Say Monday, Tuesday, … or Sunday.`);
    } else if (keyword === 'at' && value !== undefined && time === undefined) {
      const match = TIME.exec(value);
      if (!match) return fail(`"${value.slice(0, 40)}" is not a time of day. Say HH:MM on a 24-hour clock, for example 09:00 or 17:30.`);
      time = `${match[1].padStart(2, '0')}:${match[2] ?? '00'}`;
    } else {
      return fail(`I did not understand "${words.slice(i).join(' ').slice(0, 60)}". ${USAGE}`);
    }
  }
  const cadence: Cadence = { every, time: time ?? DEFAULT_TIME, timeZone };
  if (every === 'week') cadence.weekday = weekday ?? DEFAULT_WEEKDAY;
  return { ok: true, cadence };
}

/** True when `value` is a well-formed cadence (for records read back from storage). */
export function isCadence(value: unknown): value is Cadence {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  if (c.every !== 'day' && c.every !== 'week') return false;
  if (typeof c.time !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(c.time)) return false;
  if (typeof c.timeZone !== 'string' || !isKnownTimeZone(c.timeZone)) return false;
  if (c.every === 'day') return c.weekday === undefined;
  return typeof c.weekday === 'number' && Number.isInteger(c.weekday) && c.weekday >= 0 && c.weekday <= 6;
}
