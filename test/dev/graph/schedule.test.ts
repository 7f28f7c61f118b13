import {
  addDays, formatDate, instanceEnd, occurrenceStart, parseDate, periodDays, scheduleOf, type Schedule, type StoredRecurrence,
} from '../../../dev/graph/reviews/schedule';
import { addDuration, durationInDays, negate, parseDuration, type Duration } from '../../../dev/shared/duration';

const day = (text: string): Date => new Date(`${text}T00:00:00.000Z`);

function schedule(start: string, pattern: Schedule['pattern'], extra: Partial<Schedule> = {}): Schedule {
  return { start: day(start), pattern, endDate: undefined, count: undefined, durationDays: 7, ...extra };
}

/** Occurrence starts 0..n-1 as YYYY-MM-DD (undefined when the series has ended). */
const starts = (s: Schedule, n: number): Array<string | undefined> =>
  Array.from({ length: n }, (_, k) => {
    const start = occurrenceStart(s, k);
    return start === undefined ? undefined : formatDate(start);
  });

const weekly = (interval: number): Schedule['pattern'] => ({ type: 'weekly', interval });
const monthly = (interval: number): Schedule['pattern'] => ({ type: 'absoluteMonthly', interval });

describe('occurrenceStart', () => {
  test('weekly, interval 2: every other week from the start date', () => {
    const s = schedule('2027-01-04', weekly(2));
    expect(starts(s, 4)).toEqual(['2027-01-04', '2027-01-18', '2027-02-01', '2027-02-15']);
    expect(formatDate(occurrenceStart(s, 10) ?? new Date(0))).toBe('2027-05-24');
  });

  test('monthly from the 31st: clamped to month ends, each occurrence computed from the start (not chained)', () => {
    expect(starts(schedule('2027-01-31', monthly(1)), 14)).toEqual([
      '2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-31',
      '2027-08-31', '2027-09-30', '2027-10-31', '2027-11-30', '2027-12-31', '2028-01-31', '2028-02-29',
    ]);
  });

  test('occurrences start at 00:00 UTC', () => {
    expect(occurrenceStart(schedule('2027-01-31', monthly(1)), 1)?.toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });

  test('quarterly (absoluteMonthly, interval 3) from Nov 30', () => {
    expect(starts(schedule('2026-11-30', monthly(3)), 5)).toEqual(['2026-11-30', '2027-02-28', '2027-05-30', '2027-08-30', '2027-11-30']);
  });

  test('semi-annual (interval 6) from Aug 31', () => {
    expect(starts(schedule('2027-08-31', monthly(6)), 4)).toEqual(['2027-08-31', '2028-02-29', '2028-08-31', '2029-02-28']);
  });

  test('annual (interval 12) from a leap day', () => {
    expect(starts(schedule('2028-02-29', monthly(12)), 5)).toEqual(['2028-02-29', '2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
  });

  test('one-time: only occurrence 0', () => {
    const s = schedule('2027-03-02', null, { durationDays: 14 });
    expect(occurrenceStart(s, 0)).toEqual(day('2027-03-02'));
    expect(occurrenceStart(s, 1)).toBeUndefined();
    expect(occurrenceStart(s, 5)).toBeUndefined();
  });

  test('numbered: 3 occurrences → k = 3 is undefined', () => {
    expect(starts(schedule('2027-01-04', weekly(1), { count: 3 }), 5)).toEqual(['2027-01-04', '2027-01-11', '2027-01-18', undefined, undefined]);
    expect(starts(schedule('2027-01-31', monthly(1), { count: 1 }), 2)).toEqual(['2027-01-31', undefined]);
  });

  test('endDate: an occurrence may start on the end date (inclusive), not after', () => {
    expect(starts(schedule('2027-01-04', weekly(1), { endDate: day('2027-01-25') }), 5))
      .toEqual(['2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25', undefined]);
    expect(starts(schedule('2027-01-31', monthly(1), { endDate: day('2027-03-30') }), 3)).toEqual(['2027-01-31', '2027-02-28', undefined]);
  });

  test('count and endDate together: whichever ends first', () => {
    expect(starts(schedule('2027-01-04', weekly(1), { count: 10, endDate: day('2027-01-12') }), 3)).toEqual(['2027-01-04', '2027-01-11', undefined]);
    expect(starts(schedule('2027-01-04', weekly(1), { count: 2, endDate: day('2027-12-31') }), 3)).toEqual(['2027-01-04', '2027-01-11', undefined]);
  });
});

describe('periodDays', () => {
  test.each([
    ['weekly ×1', schedule('2027-01-04', weekly(1)), 7],
    ['weekly ×2', schedule('2027-01-04', weekly(2)), 14],
    ['weekly ×3', schedule('2027-01-04', weekly(3)), 21],
    ['monthly from Jan 31, 2027', schedule('2027-01-31', monthly(1)), 28],
    ['monthly from Jan 31, 2028 (leap year)', schedule('2028-01-31', monthly(1)), 29],
    ['monthly from Mar 31', schedule('2027-03-31', monthly(1)), 30],
    ['monthly from Jan 15', schedule('2027-01-15', monthly(1)), 31],
    ['quarterly from Jan 1', schedule('2027-01-01', monthly(3)), 90],
    ['semi-annual from Jan 1', schedule('2027-01-01', monthly(6)), 181],
    ['annual from Jan 1, 2027', schedule('2027-01-01', monthly(12)), 365],
    ['annual from Jan 1, 2028', schedule('2028-01-01', monthly(12)), 366],
  ])('%s → %d days', (_name, s, days) => {
    expect(periodDays(s)).toBe(days);
  });

  test('one-time reviews have no period', () => {
    expect(periodDays(schedule('2027-01-04', null))).toBe(Infinity);
  });
});

describe('scheduleOf (normalised settings)', () => {
  const pattern = (type: 'weekly' | 'absoluteMonthly', interval: number, dayOfMonth: number): StoredRecurrence['pattern'] =>
    ({ type, interval, month: 0, dayOfMonth, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' });
  const range = (extra: Partial<StoredRecurrence['range']>): StoredRecurrence['range'] =>
    ({ type: 'numbered', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: '2027-01-31', endDate: '9999-12-31', ...extra });

  test('noEnd (echoed as numbered / 0 / 9999-12-31) has neither end date nor count', () => {
    const s = scheduleOf({ instanceDurationInDays: 7, recurrence: { pattern: pattern('absoluteMonthly', 1, 31), range: range({}) } });
    expect(s).toEqual({ start: day('2027-01-31'), pattern: { type: 'absoluteMonthly', interval: 1 }, endDate: undefined, count: undefined, durationDays: 7 });
    expect(formatDate(occurrenceStart(s, 1200) ?? new Date(0))).toBe('2127-01-31');
  });

  test('endDate range', () => {
    const s = scheduleOf({
      instanceDurationInDays: 3,
      recurrence: { pattern: pattern('weekly', 1, 0), range: range({ type: 'endDate', startDate: '2027-01-04', endDate: '2027-01-25' }) },
    });
    expect(s).toEqual({ start: day('2027-01-04'), pattern: { type: 'weekly', interval: 1 }, endDate: day('2027-01-25'), count: undefined, durationDays: 3 });
    expect(starts(s, 5)).toEqual(['2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25', undefined]);
  });

  test('numbered range with a count', () => {
    const s = scheduleOf({
      instanceDurationInDays: 14,
      recurrence: { pattern: pattern('absoluteMonthly', 3, 31), range: range({ numberOfOccurrences: 3, endDate: null }) },
    });
    expect(s.count).toBe(3);
    expect(s.endDate).toBeUndefined();
    expect(starts(s, 4)).toEqual(['2027-01-31', '2027-04-30', '2027-07-31', undefined]);
  });

  test('one-time: pattern null, a single occurrence lasting instanceDurationInDays', () => {
    const s = scheduleOf({ instanceDurationInDays: 14, recurrence: { pattern: null, range: range({ startDate: '2027-03-02', endDate: '2027-03-16' }) } });
    expect(s).toEqual({ start: day('2027-03-02'), pattern: null, endDate: undefined, count: undefined, durationDays: 14 });
    expect(instanceEnd(s, s.start).toISOString()).toBe('2027-03-16T00:00:00.000Z');
    expect(occurrenceStart(s, 1)).toBeUndefined();
  });

  test('one-time without a duration lasts until the end date (at least one day)', () => {
    const until = (endDate: string): number =>
      scheduleOf({ instanceDurationInDays: 0, recurrence: { pattern: null, range: range({ startDate: '2027-03-02', endDate }) } }).durationDays;
    expect(until('2027-03-12')).toBe(10);
    expect(until('2027-03-02')).toBe(1);
  });

  test('one-time with a shorter instanceDurationInDays still ends on range.endDate (reference 3.7 notes, trap 22)', () => {
    const s = scheduleOf({ instanceDurationInDays: 7, recurrence: { pattern: null, range: range({ startDate: '2026-03-02', endDate: '2026-03-16' }) } });
    expect(formatDate(instanceEnd(s, s.start))).toBe('2026-03-16');
  });
});

describe('date helpers', () => {
  test('parseDate cuts timestamps to 00:00 UTC of their date; addDays and formatDate', () => {
    expect(parseDate('2020-09-08T12:02:30.667Z').toISOString()).toBe('2020-09-08T00:00:00.000Z');
    expect(formatDate(addDays(day('2027-02-27'), 2))).toBe('2027-03-01');
    expect(formatDate(addDays(day('2028-02-27'), 2))).toBe('2028-02-29');
  });
});

describe('ISO 8601 durations', () => {
  const d = (years: number, months: number, days: number, milliseconds: number): Duration => ({ years, months, days, milliseconds });

  test.each([
    ['P30D', d(0, 0, 30, 0)],
    ['P1W', d(0, 0, 7, 0)],
    ['PT5H', d(0, 0, 0, 5 * 3_600_000)],
    ['P1M', d(0, 1, 0, 0)],
    ['PT0S', d(0, 0, 0, 0)],
    ['PT1.5S', d(0, 0, 0, 1500)],
    ['P1Y2M10DT2H30M', d(1, 2, 10, 9_000_000)],
  ])('parseDuration(%s)', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  test.each(['', 'P', 'PT', 'P1DT', '30D', 'P-1D', 'P1.5D', 'P1H', 'T5H', 'P30D '])('parseDuration(%j) is undefined', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test.each([
    ['P30D', 30], ['P1W', 7], ['P2W3D', 17], ['PT48H', 2], ['P1DT24H', 2], ['P1M', undefined], ['P1Y', undefined], ['PT5H', undefined], ['PT0S', 0],
  ])('durationInDays(%s) = %p', (text, days) => {
    const parsed = parseDuration(text);
    expect(parsed).toBeDefined();
    expect(parsed && durationInDays(parsed)).toBe(days);
  });

  const add = (time: string, text: string, backwards = false): string => {
    const parsed = parseDuration(text) ?? d(0, 0, 0, 0);
    return addDuration(new Date(time), backwards ? negate(parsed) : parsed).toISOString();
  };

  test('addDuration: days and times exactly, months calendar-wise', () => {
    expect(add('2027-01-01T10:00:00.000Z', 'P30D')).toBe('2027-01-31T10:00:00.000Z');
    expect(add('2027-01-01T10:00:00.000Z', 'PT5H30M')).toBe('2027-01-01T15:30:00.000Z');
    expect(add('2027-01-15T10:00:00.000Z', 'P1M')).toBe('2027-02-15T10:00:00.000Z');
    expect(add('2027-03-15T10:00:00.000Z', 'P1Y2M')).toBe('2028-05-15T10:00:00.000Z');
    expect(add('2027-03-01T09:00:00.000Z', 'P30D', true)).toBe('2027-01-30T09:00:00.000Z');
  });

  test('addDuration pins the day to the end of a shorter month (XSD/ISO 8601 duration arithmetic)', () => {
    expect(add('2027-01-31T00:00:00.000Z', 'P1M')).toBe('2027-02-28T00:00:00.000Z');
    expect(add('2028-02-29T00:00:00.000Z', 'P1Y')).toBe('2029-02-28T00:00:00.000Z');
    expect(add('2027-03-31T09:00:00.000Z', 'P1M', true)).toBe('2027-02-28T09:00:00.000Z');
  });
});
