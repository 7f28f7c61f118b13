/**
 * The numbers and words of a summary card (one run of a review) and of the digest of active reviews, pure. The counts
 * come from a DecisionTally filled page by page (reviews/decisionTally.ts), so nothing holds the whole review; only
 * totals and, for the waiting reviewers, the contacted reviewers who decided something are kept. No principal and no
 * justification is ever part of a summary: the card goes to shared rooms.
 */
import type { DecisionTally } from './decisionTally';
import { inReviewsList } from './status';

/** One run's decision items counted: per decision, against the recommendation, per apply result, by the service. */
export interface SummaryCounts {
  total: number;
  approved: number;
  denied: number;
  dontKnow: number;
  notReviewed: number;
  /** Decisions with a value the bot does not know (Graph may add some): decided, so reviewed. */
  other: number;
  /** Approve/deny decisions on items recommended approve/deny, and how many of them follow the recommendation. */
  withRecommendation: number;
  agreeing: number;
  /** Applied (also: applied, but the principal is no longer in the directory), failed, not supported. */
  applied: number;
  failed: number;
  notSupported: number;
  decidedAutomatically: number;
  appliedAutomatically: number;
}

const DECISIONS = { approved: 'Approved', denied: 'Denied', dontKnow: "Don't know", notReviewed: 'Not reviewed' } as const;

/** The tally's words (reviews/decisionTally.ts) as the summary's numbers. */
export function summaryCounts(tally: DecisionTally): SummaryCounts {
  const decided = (word: string): number => tally.byDecision.get(word) ?? 0;
  const applied = (word: string): number => tally.byApplyResult.get(word) ?? 0;
  const known = Object.values(DECISIONS).reduce((sum, word) => sum + decided(word), 0);
  return {
    total: tally.total,
    approved: decided(DECISIONS.approved),
    denied: decided(DECISIONS.denied),
    dontKnow: decided(DECISIONS.dontKnow),
    notReviewed: decided(DECISIONS.notReviewed),
    other: tally.total - known,
    withRecommendation: tally.withRecommendation,
    agreeing: tally.agreeing,
    applied: applied('Applied') + applied('Applied (no longer in the directory)'),
    failed: applied('Failed'),
    notSupported: applied('Not supported'),
    decidedAutomatically: tally.decidedAutomatically,
    appliedAutomatically: tally.appliedAutomatically,
  };
}

/** Items that have a decision (anything but Not reviewed). */
export const reviewedOf = (counts: Pick<SummaryCounts, 'total' | 'notReviewed'>): number => counts.total - counts.notReviewed;

const count = (n: number): string => n.toLocaleString('en-US');

/** "12 of 40 reviewed (30%)"; "at least …" when the count stopped early; "No items to review" for an empty run. */
export function progressLine(reviewed: number, total: number, complete: boolean): string {
  if (total === 0) return complete ? 'No items to review' : 'No items counted yet';
  return `${complete ? '' : 'At least '}${count(reviewed)} of ${count(total)} reviewed (${Math.floor((reviewed / total) * 100)}%)`;
}

/**
 * The progress bar's two column weights (whole numbers, summing to 100): reviewed and still to review. A part that is
 * not zero gets at least 1, so one decision among 100,000 still shows, and one item left still shows; 0 hides a part.
 */
export function progressWeights(reviewed: number, total: number): { done: number; left: number } {
  if (total <= 0) return { done: 0, left: 100 };
  const part = Math.min(Math.max(reviewed, 0), total);
  let done = Math.round((part / total) * 100);
  if (part > 0 && done === 0) done = 1;
  if (part < total && done === 100) done = 99;
  return { done, left: 100 - done };
}

/** Counts on one line, in a fixed order: "Applied 3 · Failed 0 · Not supported 1". */
export const countsLine = (parts: ReadonlyArray<readonly [string, number]>): string => parts.map(([name, n]) => `${name} ${count(n)}`).join(' · ');

export interface RunTimes {
  status?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const parsed = (value: string | null | undefined): number | undefined => {
  const time = Date.parse(value ?? '');
  return Number.isNaN(time) ? undefined : time;
};
const span = (ms: number, what: string): string => {
  if (ms >= 2 * DAY) return `${count(Math.floor(ms / DAY))} days ${what}`;
  if (ms >= DAY) return `1 day ${what}`;
  if (ms >= 2 * HOUR) return `${Math.floor(ms / HOUR)} hours ${what}`;
  return ms >= HOUR ? `1 hour ${what}` : `less than an hour ${what}`;
};

/**
 * The run's time left at `now` in words: "13 days left", "less than an hour left", "Starts in 3 days"; "Finished" for
 * a finished status; "Past its end date: closing" for a running run whose end has passed (the service is closing it).
 */
export function timeLeft(run: RunTimes, now: number): string {
  if (!inReviewsList('active', run.status)) return 'Finished';
  const start = parsed(run.startDateTime);
  const end = parsed(run.endDateTime);
  if (start !== undefined && start > now) {
    const words = span(start - now, '');
    return `Starts in ${words.trimEnd()}`;
  }
  if (end === undefined) return 'No end date';
  if (end <= now) return 'Past its end date: closing';
  const left = span(end - now, 'left');
  return `${left.charAt(0).toUpperCase()}${left.slice(1)}`;
}

/** A row of the digest, as far as its order needs it. */
export interface DigestOrderKey {
  /** The row's current run is not finished. */
  running: boolean;
  endDateTime?: string | null;
  name: string;
}

/**
 * The digest's order: running runs first, ending soonest first (no end date last among them), then the others;
 * ties by name. A new array; the input is left as it is.
 */
export function digestOrder<T extends DigestOrderKey>(rows: readonly T[]): T[] {
  const end = (row: T): number => parsed(row.endDateTime) ?? Number.POSITIVE_INFINITY;
  return [...rows].sort((a, b) => Number(b.running) - Number(a.running) || (a.running && b.running ? end(a) - end(b) : 0)
    || a.name.localeCompare(b.name, 'en-US'));
}
