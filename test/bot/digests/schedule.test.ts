import fc from 'fast-check';
import {
  describeCadence,
  isCadence,
  nextDue,
  parseCadence,
  periodAt,
  periodOf,
  type Cadence,
} from '../../../bot/digests/schedule';

const paris = (every: 'day' | 'week', time: string, weekday?: number): Cadence => ({ every, time, weekday, timeZone: 'Europe/Paris' });

describe('parseCadence', () => {
  it('reads daily and weekly with their defaults (Monday, 09:00)', () => {
    expect(parseCadence('daily', 'Europe/Paris')).toEqual({ ok: true, cadence: { every: 'day', time: '09:00', timeZone: 'Europe/Paris' } });
    expect(parseCadence('Weekly', 'UTC')).toEqual({ ok: true, cadence: { every: 'week', weekday: 1, time: '09:00', timeZone: 'UTC' } });
  });

  it('reads on <weekday> and at HH:MM in either order', () => {
    const expected = { ok: true, cadence: { every: 'week', weekday: 5, time: '16:05', timeZone: 'America/New_York' } };
    expect(parseCadence('weekly on Friday at 16:05', 'America/New_York')).toEqual(expected);
    expect(parseCadence('  WEEKLY   at 16:05 on fri ', 'America/New_York')).toEqual(expected);
    expect(parseCadence('daily at 7', 'UTC')).toEqual({ ok: true, cadence: { every: 'day', time: '07:00', timeZone: 'UTC' } });
    expect(parseCadence('weekly on sundays', 'UTC')).toMatchObject({ ok: true, cadence: { weekday: 0 } });
  });

  it('explains what is wrong', () => {
    expect(parseCadence('weekly', undefined)).toMatchObject({ ok: false, error: expect.stringContaining('time zone') });
    expect(parseCadence('weekly', 'Mars/Olympus_Mons')).toMatchObject({ ok: false, error: expect.stringContaining('Mars/Olympus_Mons') });
    expect(parseCadence('monthly', 'UTC')).toMatchObject({ ok: false, error: expect.stringContaining('"monthly"') });
    expect(parseCadence('daily on monday', 'UTC')).toMatchObject({ ok: false, error: expect.stringContaining('weekly') });
    expect(parseCadence('weekly on someday', 'UTC')).toMatchObject({ ok: false, error: expect.stringContaining('not a weekday') });
    expect(parseCadence('weekly at 24:00', 'UTC')).toMatchObject({ ok: false, error: expect.stringContaining('not a time') });
    expect(parseCadence('weekly at 9:5', 'UTC')).toMatchObject({ ok: false, error: expect.stringContaining('not a time') });
    expect(parseCadence('weekly at 09:00 at 10:00', 'UTC')).toMatchObject({ ok: false, error: expect.stringContaining('did not understand') });
    expect(parseCadence('', 'UTC')).toMatchObject({ ok: false });
  });

  it('never throws, and whatever it accepts is a valid cadence that describes itself', () => {
    const zones = fc.constantFrom('Europe/Paris', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Nowhere/Else', '', undefined);
    const wordish = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom('daily', 'weekly', 'on', 'at', 'monday', 'Fri', '9', '09:30', '23:59', '24:00', 'x', ' '), { maxLength: 8 }).map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(wordish, zones, (text, zone) => {
        const result = parseCadence(text, zone);
        if (result.ok) {
          expect(isCadence(result.cadence)).toBe(true);
          expect(describeCadence(result.cadence)).toContain(result.cadence.time);
        } else {
          expect(result.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const cadences = fc.record({
  every: fc.constantFrom<'day' | 'week'>('day', 'week'),
  weekday: fc.integer({ min: 0, max: 6 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  timeZone: fc.constantFrom('Europe/Paris', 'America/New_York', 'UTC', 'Australia/Lord_Howe', 'Asia/Kathmandu'),
}).map(({ every, weekday, hour, minute, timeZone }): Cadence => ({
  every,
  ...(every === 'week' ? { weekday } : {}),
  time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
  timeZone,
}));
// 2020-01-01 … 2035-01-01: covers many DST transitions in every zone above.
const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => new Date(ms));

describe('due instants and periods', () => {
  it('due instants strictly increase, each period contains its own due instant, and keys differ per period', () => {
    fc.assert(
      fc.property(cadences, instants, (cadence, start) => {
        let due = nextDue(cadence, start);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
        const keys = new Set<string>();
        for (let i = 0; i < 10; i += 1) {
          const next = nextDue(cadence, due);
          expect(next.getTime()).toBeGreaterThan(due.getTime());
          // At most one period (plus a DST hour) apart, and at least most of one.
          const span = cadence.every === 'day' ? 24 * 3600_000 : 7 * 24 * 3600_000;
          expect(next.getTime() - due.getTime()).toBeLessThanOrEqual(span + 3600_000);
          expect(next.getTime() - due.getTime()).toBeGreaterThanOrEqual(span - 3600_000);
          const period = periodAt(cadence, due);
          expect(period.dueAt).toEqual(due);
          expect(periodAt(cadence, new Date(next.getTime() - 1))).toEqual(period);
          keys.add(period.key);
          due = next;
        }
        expect(keys.size).toBe(10);
      }),
      { numRuns: 150 },
    );
  });

  it('the period at any instant started at or before it and ends after it', () => {
    fc.assert(
      fc.property(cadences, instants, (cadence, instant) => {
        const period = periodAt(cadence, instant);
        expect(period.dueAt.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(nextDue(cadence, period.dueAt).getTime()).toBeGreaterThan(instant.getTime());
        expect(period).toEqual(periodOf(cadence, period.dueAt));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the local time across the DST changes of Europe/Paris', () => {
    const weekly = paris('week', '09:00', 1);
    // Before the spring change (29 March 2026) 09:00 is 08:00Z; after, 07:00Z.
    expect(nextDue(weekly, new Date('2026-03-24T00:00:00Z')).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(periodAt(weekly, new Date('2026-03-29T12:00:00Z'))).toEqual({ key: '2026-03-23', dueAt: new Date('2026-03-23T08:00:00Z') });
    // Autumn (25 October 2026): back to 08:00Z.
    expect(nextDue(weekly, new Date('2026-10-20T00:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // A time inside the spring gap runs at the end of the gap, once.
    const gap = paris('day', '02:30');
    expect(nextDue(gap, new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(nextDue(gap, new Date('2026-03-29T01:00:00Z')).toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });

  it('runs a repeated hour once on the fall-back night of America/New_York', () => {
    const daily: Cadence = { every: 'day', time: '01:30', timeZone: 'America/New_York' };
    const first = nextDue(daily, new Date('2026-11-01T00:00:00Z'));
    expect(first.toISOString()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    const second = nextDue(daily, first);
    expect(second.toISOString()).toBe('2026-11-02T06:30:00.000Z'); // 01:30 EST the next day, not 01:30 EST the same night
    expect(periodAt(daily, new Date('2026-11-01T06:45:00Z')).key).toBe('2026-11-01');
    // Spring forward (8 March 2026): 09:00 EST = 14:00Z, then 09:00 EDT = 13:00Z.
    const weekly: Cadence = { every: 'week', weekday: 1, time: '09:00', timeZone: 'America/New_York' };
    expect(nextDue(weekly, new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-03-02T14:00:00.000Z');
    expect(nextDue(weekly, new Date('2026-03-03T00:00:00Z')).toISOString()).toBe('2026-03-09T13:00:00.000Z');
  });

  it('names periods by the local date of their due instant', () => {
    // 23:30 in New York on 4 December is already 5 December in UTC.
    const late: Cadence = { every: 'day', time: '23:30', timeZone: 'America/New_York' };
    expect(periodAt(late, new Date('2026-12-05T05:00:00Z'))).toEqual({ key: '2026-12-04', dueAt: new Date('2026-12-05T04:30:00Z') });
  });
});

describe('isCadence', () => {
  it('rejects malformed records', () => {
    expect(isCadence(paris('week', '09:00', 1))).toBe(true);
    expect(isCadence({ every: 'week', time: '09:00', timeZone: 'UTC' })).toBe(false);
    expect(isCadence({ every: 'day', weekday: 2, time: '09:00', timeZone: 'UTC' })).toBe(false);
    expect(isCadence({ every: 'day', time: '9:00', timeZone: 'UTC' })).toBe(false);
    expect(isCadence({ every: 'day', time: '09:00', timeZone: 'Nowhere' })).toBe(false);
    expect(isCadence(null)).toBe(false);
  });
});
