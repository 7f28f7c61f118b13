/** ISO 8601 durations (`P3D`, `PT2H`, `P1M`, `P1Y2M10DT2H30M`): enough for the emulator clock and scopes. */
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export interface Duration {
  years: number;
  months: number;
  days: number;
  milliseconds: number;
}

/** Parses an ISO 8601 duration, or returns undefined when the text is not one. */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const n = (i: number): number => Number(match[i] ?? 0);
  return {
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    milliseconds: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000,
  };
}

/** Adds a duration to a time, calendar-wise for years and months (UTC; Jan 31 + P1M = Feb 28, as ISO 8601 says). */
export function addDuration(time: Date, duration: Duration): Date {
  let result = time;
  const months = duration.years * 12 + duration.months;
  if (months !== 0) {
    const year = time.getUTCFullYear();
    const month = time.getUTCMonth() + months;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    result = new Date(Date.UTC(year, month, Math.min(time.getUTCDate(), lastDay), time.getUTCHours(), time.getUTCMinutes(),
      time.getUTCSeconds(), time.getUTCMilliseconds()));
  }
  return new Date(result.getTime() + duration.days * 86_400_000 + duration.milliseconds);
}

/** Whole days in a duration without calendar parts (`P30D` → 30), or undefined. */
export function durationInDays(duration: Duration): number | undefined {
  if (duration.years || duration.months || duration.milliseconds % 86_400_000 !== 0) return undefined;
  return duration.days + duration.milliseconds / 86_400_000;
}

/** The same duration, backwards. */
export const negate = (d: Duration): Duration =>
  ({ years: -d.years, months: -d.months, days: -d.days, milliseconds: -d.milliseconds });
