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

/**
 * A clock a fixed distance from `base`, moved by `follow`: in local mode the bot's clock follows the Graph
 * emulator's (real time plus however far `/_emulator/clock` was advanced), so "today" is the emulated tenant's.
 */
export function followingClock(base: Clock): Clock & { follow(otherNow: number): void } {
  let offsetMs = 0;
  return { now: () => base.now() + offsetMs, follow: (otherNow) => { offsetMs = otherNow - base.now(); } };
}
