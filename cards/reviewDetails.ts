/** `show <review>`'s card: the definition in settings words and its runs (status, dates, progress, who is still to answer). */
import reviewDetailsTemplate from './reviewDetails.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson, CardButton, SettingLine } from './types';

/** One run (instance) of a review as display strings ('' leaves a line out). */
export interface ReviewRunLine {
  /** "Current run", or the group of an all-groups review's run. */
  readonly title: string;
  readonly status: string;
  /** e.g. "Monday 2 June 2025 to Monday 16 June 2025". */
  readonly dates: string;
  /** e.g. "12 of 40 reviewed (30%)". */
  readonly progress: string;
  /** e.g. "Waiting on Megan Bowen, Alex Wilber". */
  readonly waiting: string;
}

export interface ReviewDetailsCardData {
  readonly id: string;
  readonly name: string;
  /** e.g. "In progress · Quarterly". */
  readonly summary: string;
  readonly lines: readonly SettingLine[];
  readonly runsTitle: string;
  readonly runs: readonly ReviewRunLine[];
  /** Runs not shown ('' for none), e.g. "…and 40 more runs". */
  readonly moreRuns: string;
  /** Buttons after Refresh (Decisions, Send reminder, Stop, Apply): each replays its command on this review, its card posted below. */
  readonly actions: readonly CardButton[];
}

/** Rows and runs the card shows at most (it stays far under 28 KB whatever the review). */
export const REVIEW_DETAILS_LIMITS = { lines: 20, runs: 10 } as const;

export function renderReviewDetailsCard(data: ReviewDetailsCardData): AdaptiveCardJson {
  if (data.id.length > 128) throw new Error('Card "reviewDetails": a review id longer than 128 characters');
  return expandTemplate('reviewDetails', reviewDetailsTemplate, {
    id: data.id,
    name: clip(data.name, 256),
    summary: clip(data.summary, 200),
    lines: data.lines.slice(0, REVIEW_DETAILS_LIMITS.lines).map((line) => ({ label: clip(line.label, 64), value: clip(line.value, 300) })),
    runsTitle: clip(data.runsTitle, 120),
    runs: data.runs.slice(0, REVIEW_DETAILS_LIMITS.runs).map((run) => ({
      title: clip(run.title, 120), status: clip(run.status, 64), dates: clip(run.dates, 100), progress: clip(run.progress, 100), waiting: clip(run.waiting, 300),
    })),
    moreRuns: clip(data.moreRuns, 200),
    actions: data.actions.slice(0, 4).map((action) => ({ title: clip(action.title, 40), verb: action.verb, args: clip(action.args, 128) })),
  });
}
