/**
 * The bot's only clock (conventions: time is injected). Built once in app.ts and passed to whatever reads the
 * time, so schedules, expiries and "time left" can be tested at a chosen instant.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The date (YYYY-MM-DD, UTC) at the clock's instant: "today" for validation and wizard defaults. */
export const todayOf = (clock: Clock): string => new Date(clock.now()).toISOString().slice(0, 10);

/** The clock's instant as an ISO string (for stored timestamps). */
export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();

/** A clock that stands still until moved (tests). */
export function fixedClock(start: number): Clock & { advance(ms: number): void; set(ms: number): void } {
  let at = start;
  return { now: () => at, advance: (ms) => { at += ms; }, set: (ms) => { at = ms; } };
}
