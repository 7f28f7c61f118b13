/**
 * The administrative actions on one review (stop, remind, apply, reset, delete), pure: which run they act on, the
 * preconditions in plain words (instead of Graph's 400), and what the confirmation card says will happen, in numbers.
 * Preconditions follow the reference (section 4.3): stop, sendReminder and resetDecisions need an `InProgress` run;
 * applyDecisions a `Completed` one of a review without auto-apply; DELETE of the definition works in any state.
 */
import { formatDay } from './describeSettings';
import { statusWords } from './status';

export type AdminKind = 'stop' | 'remind' | 'apply' | 'reset' | 'delete';

/** A run (instance) as far as these actions read it. */
export interface Run {
  id: string;
  status?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  scope?: { query?: string | null } | null;
}

/** What a definition's settings say that matters here. */
export interface ActionSettings {
  autoApply: boolean;
  /** The decision written for items nobody reviewed when the run ends ('None' or absent: no change). */
  defaultDecision?: string;
  /** Denied guests are also blocked from signing in and deleted later (disableAndDeleteUserApplyAction). */
  disablesGuests: boolean;
}

/** Counts of the current run's decision items (each read with the documented `decision eq` filter). */
export interface RunCounts {
  total: number;
  notReviewed: number;
  denied: number;
  /** False when a count stopped at its page limit: numbers are then "at least". */
  complete: boolean;
}

const day = (iso: string | null | undefined): string => (typeof iso === 'string' && iso.length >= 10 ? formatDay(iso.slice(0, 10)) : 'an unknown date');

/** The run the commands act on: the latest started one (ties: the first listed); undefined when there is none. */
export function currentRun<T extends Run>(runs: readonly T[]): T | undefined {
  let latest: T | undefined;
  for (const run of runs) {
    if (latest === undefined || String(run.startDateTime ?? '') > String(latest.startDateTime ?? '')) latest = run;
  }
  return latest;
}

/**
 * How many runs share the current one's start: a review of guests in all Microsoft 365 groups has one run per group per
 * occurrence. These commands act on one run, so such a review is answered plainly instead of acting on one group's run.
 */
export function runsStartedWith<T extends Run>(runs: readonly T[], current: T | undefined): number {
  return current === undefined ? 0 : runs.filter((run) => String(run.startDateTime ?? '') === String(current.startDateTime ?? '')).length;
}

export const severalRunsText = (kind: AdminKind, name: string, count: number): string =>
  `${name} has ${count} runs at the moment (one per group). \`${kind}\` acts on reviews with one run at a time in this version: ` +
  'use the Microsoft Entra admin center for this one. Nothing was changed.';

const NOT_STARTED = new Set(['notstarted', 'initializing', 'starting']);
const lower = (status: string | null | undefined): string => String(status ?? '').toLowerCase();

/** Says why `kind` cannot be done on this run now (instead of Graph's 400), or undefined when it can. `name` is shown as given. */
export function refusalFor(kind: AdminKind, name: string, run: Run | undefined, settings: ActionSettings): string | undefined {
  if (kind === 'delete') return undefined;
  const unchanged = ' Nothing was changed.';
  if (run === undefined) return `${name} has no run yet, so there is nothing to ${kind === 'remind' ? 'remind reviewers of' : kind}.${unchanged}`;
  const status = lower(run.status);
  const words = `${statusWords(run.status)}${run.status ? ` (${run.status})` : ''}`;
  if (kind === 'apply') {
    if (settings.autoApply) {
      return `${name} applies its decisions automatically (auto-apply is on), so there is nothing to apply by hand.${unchanged}`;
    }
    if (status === 'applied' || status === 'applying') return `The decisions of the current run of ${name} have already been applied.${unchanged}`;
    if (status === 'completed') return undefined;
    if (status === 'inprogress') {
      return `\`apply\` works only on a finished run: the current run of ${name} is still in progress (until ${day(run.endDateTime)}). ` +
        `Stop it first with \`stop\`, or wait until it ends.${unchanged}`;
    }
    return `\`apply\` works only on a completed run: the current run of ${name} is ${words}.${unchanged}`;
  }
  if (status === 'inprogress') return undefined;
  const what = { stop: 'stop', remind: 'remind reviewers', reset: 'reset decisions' }[kind];
  if (NOT_STARTED.has(status)) return `The current run of ${name} has not started yet (${words}), so I cannot ${what}.${unchanged}`;
  return `\`${kind}\` works only while a run is in progress: the current run of ${name} is ${words} (it ended on ${day(run.endDateTime)}).${unchanged}`;
}

/** The confirmation card's content for a destructive action: what will happen, in numbers. */
export interface ActionCard {
  title: string;
  lines: Array<{ label: string; value: string }>;
  warnings: string[];
  /** The act button's title. */
  act: string;
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
const atLeast = (counts: RunCounts): string => (counts.complete ? '' : 'at least ');

const DEFAULTS: Record<string, string> = { Approve: 'approved', Deny: 'denied', Recommendation: 'decided by their recommendation' };

/** The card of `stop`, `apply`, `reset` or `delete` for the current run (`run`, absent for a review without runs). */
export function actionCard(kind: Exclude<AdminKind, 'remind'>, input: {
  name: string; run: Run | undefined; counts: RunCounts | undefined; settings: ActionSettings; groupName: string | undefined; runCount: number;
}): ActionCard {
  const { name, run, counts, settings } = input;
  const group = input.groupName ?? 'the reviewed group';
  const more = counts === undefined ? '' : atLeast(counts);
  const runLine = run === undefined ? [] : [{ label: 'Current run', value: `${day(run.startDateTime)} to ${day(run.endDateTime)} · ${statusWords(run.status)}` }];
  const recorded = counts === undefined ? [] : [{ label: 'Decisions recorded', value: `${more}${(counts.total - counts.notReviewed).toLocaleString('en-US')} of ${plural(counts.total, 'item')}` }];
  const base = [{ label: 'Review', value: name }, ...runLine, ...recorded];
  switch (kind) {
    case 'stop': {
      const warnings: string[] = [];
      const notReviewed = counts?.notReviewed ?? 0;
      const fallback = settings.defaultDecision !== undefined ? DEFAULTS[settings.defaultDecision] : undefined;
      if (fallback !== undefined && notReviewed > 0) warnings.push(`The ${plural(notReviewed, 'item')} nobody reviewed will be ${fallback} automatically.`);
      warnings.push(settings.autoApply
        ? `Auto-apply is on: the results are applied as soon as the run ends (${plural(counts?.denied ?? 0, 'denied member')} so far would be removed from ${group}).`
        : 'Nothing is removed from the group until someone applies the results (with apply).');
      return { title: `stop: the current run of ${name} ends now and reviewers can no longer answer`, lines: base, warnings, act: 'Stop the run' };
    }
    case 'apply': {
      const denied = counts?.denied ?? 0;
      const unchanged = counts === undefined ? 0 : counts.total - denied;
      const warnings = settings.disablesGuests ? ['Denied guests are also blocked from signing in, and deleted after 30 days.'] : [];
      return {
        title: `apply: ${more}${plural(denied, 'denied member')} will be removed from ${group}`,
        lines: [...base, { label: 'Denied (removed)', value: `${more}${denied.toLocaleString('en-US')}` },
          { label: 'Approved, don\'t know or not reviewed (no change)', value: unchanged.toLocaleString('en-US') }],
        warnings, act: 'Apply decisions',
      };
    }
    case 'reset': {
      const cleared = counts === undefined ? 0 : counts.total - counts.notReviewed;
      return {
        title: `reset: ${more}${plural(cleared, 'recorded decision')} of the current run of ${name} will be cleared`,
        lines: base, warnings: ['Every item goes back to Not reviewed: reviewers must decide again, and their justifications are lost.'], act: 'Reset decisions',
      };
    }
    case 'delete':
      return {
        title: input.runCount === 0 ? `delete: ${name} will be deleted (it has no runs yet)`
          : `delete: ${name} will be deleted with its ${plural(input.runCount, 'run')} and all their decisions`,
        lines: base, warnings: ['This cannot be undone. Access already removed by applied decisions stays removed.'], act: 'Delete the review',
      };
  }
}
