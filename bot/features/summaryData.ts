import { renderSummaryCard, renderSummaryDigestCard } from '../../cards/summary';
import type { AdaptiveCardJson, CardButton } from '../../cards/types';
import { describeScope, reviewedGroupId } from '../../reviews/describe';
import { currentInstance, dayOf, describeReviewers, reviewerGroupIds } from '../../reviews/describeDefinition';
import { addToTally, newTally } from '../../reviews/decisionTally';
import { countsLine, digestOrder, progressLine, reviewedOf, summaryCounts, timeLeft, type SummaryCounts } from '../../reviews/summary';
import { inReviewsList, statusWords } from '../../reviews/status';
import { plural } from '../../reviews/vocabulary';
import type { GraphApis, ReviewDefinition, ReviewInstance } from '../graph/apis';
import { COUNTED_FIELDS } from './decisions';

/**
 * What a summary card and the digest of active reviews need, read through the Graph seam only (GraphApis): the
 * identity is the seam's (the user who asked or pressed Refresh; a scheduled digest's app identity). Decision items
 * are streamed page by page into totals with few `$select` fields, so memory does not grow with the review; no
 * principal, justification or per-item data leaves this module.
 */

/** Items counted at most per run (then the card says "at least"). */
export const MAX_COUNTED = 200_000;
/** Rows of the digest whose progress is counted and shown; the rest are counted as "and N more". */
export const DIGEST_ROWS = 10;
/** The fields a digest counts with: decided or not. */
const DIGEST_FIELDS = ['id', 'decision'];

export interface SummaryRun {
  id: string;
  status: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  /** Other runs not yet finished at the same time (an all-groups review has one per group). */
  otherRunning: number;
}

export interface SummaryData {
  definitionId: string;
  name: string;
  /** The definition's own status (as Graph has it). */
  status: string | null;
  /** What is reviewed, e.g. "Guests of Sales Team". */
  reviewed: string;
  /** Who reviews, e.g. "Group owners". */
  reviewers: string;
  /** The current (or latest) run; absent: no run yet. */
  run: SummaryRun | undefined;
  /** The run's decision items counted (absent without a run). */
  counts: SummaryCounts | undefined;
  /** False when the count stopped at MAX_COUNTED items. */
  complete: boolean;
  /** Contacted reviewers (first 100) of a running run who have decided nothing while items wait: names only. */
  waiting: string[];
}

/** Group names the words need: the reviewed group and the reviewers' groups (one request, at most 15). */
async function groupNamesFor(graph: GraphApis, definitions: readonly ReviewDefinition[]): Promise<Map<string, string>> {
  const ids = [...new Set(definitions.flatMap((definition) => [reviewedGroupId(definition), ...reviewerGroupIds(definition.reviewers)])
    .filter((id): id is string => id !== undefined))].slice(0, 15);
  return ids.length === 0 ? new Map() : graph.directory.groupNames(ids);
}

const isRunning = (instance: ReviewInstance): boolean => inReviewsList('active', instance.status);

function runOf(current: ReviewInstance | undefined, instances: readonly ReviewInstance[]): SummaryRun | undefined {
  if (current === undefined) return undefined;
  const otherRunning = isRunning(current) ? instances.filter((instance) => instance !== current && isRunning(instance)).length : 0;
  return { id: current.id, status: current.status ?? null, startDateTime: current.startDateTime ?? null, endDateTime: current.endDateTime ?? null, otherRunning };
}

/**
 * One review's summary: its current (or latest) run, every decision item counted, and the contacted reviewers still to
 * answer. Reads: the runs and the group names, then the contacted reviewers (running runs only), then the items.
 * Throws the seam's AppErrors (NotFound when the review or its run is gone, Forbidden…).
 */
export async function readSummary(graph: GraphApis, definition: ReviewDefinition): Promise<SummaryData> {
  const [{ instances }, names] = await Promise.all([graph.reviews.instancesPage(definition.id), groupNamesFor(graph, [definition])]);
  const current = currentInstance(instances);
  const base = {
    definitionId: definition.id, name: definition.displayName ?? '(no name)', status: definition.status ?? null,
    reviewed: describeScope(definition, names), reviewers: describeReviewers(definition, names), run: runOf(current, instances),
  };
  if (current === undefined) return { ...base, counts: undefined, complete: true, waiting: [] };
  // Who has decided is kept only for the contacted reviewers (at most 100 ids), never per item.
  const contacted = isRunning(current) ? await graph.reviews.contactedReviewers(definition.id, current.id) : [];
  const pending = new Map(contacted.map((reviewer) => [reviewer.id.toLowerCase(), reviewer.displayName]));
  const tally = newTally();
  const scan = await graph.reviews.scanDecisions(definition.id, current.id, { select: COUNTED_FIELDS, maxItems: MAX_COUNTED }, (items) => {
    addToTally(tally, items);
    for (const item of items) {
      const decided = (item.decision ?? 'NotReviewed').toLowerCase() !== 'notreviewed';
      const by = item.reviewedBy?.id?.toLowerCase();
      if (decided && by !== undefined) pending.delete(by);
    }
  });
  const counts = summaryCounts(tally);
  const waiting = counts.notReviewed > 0 ? [...pending.values()] : [];
  return { ...base, counts, complete: scan.complete, waiting };
}

export interface DigestRow {
  definitionId: string;
  name: string;
  reviewed: string;
  run: SummaryRun | undefined;
  /** Decided and all items of the current run (0 of 0 without a run), and whether every item was counted. */
  reviewedItems: number;
  total: number;
  complete: boolean;
}

/** Every active review's current run counted together (the rows shown and those beyond them). */
export interface DigestTotals {
  /** Reviews whose current run is in progress, their items counted together (finished runs are rows, not in the whole). */
  reviews: number;
  reviewedItems: number;
  total: number;
  /** False when a run's count stopped at MAX_COUNTED items. */
  complete: boolean;
}

export interface DigestData {
  /** At most DIGEST_ROWS rows, running runs ending soonest first. */
  rows: DigestRow[];
  /** Active reviews found beyond the rows shown. */
  more: number;
  /** More active reviews may exist beyond those read (Graph's list was not read to its end). */
  moreUnread: boolean;
  totals: DigestTotals;
}

/** Active reviews a digest reads at most (5 pages of Graph's list). */
export const DIGEST_REVIEWS = 500;
/** `$batch` requests of runs sent at once (20 definitions each). */
const RUNS_IN_FLIGHT = 4;

/** The first page of runs of each definition, 20 to a `$batch`, a few batches at once. */
async function runsOf(graph: GraphApis, ids: readonly string[]): Promise<Map<string, ReviewInstance[]>> {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += 20) chunks.push(ids.slice(start, start + 20));
  const runs = new Map<string, ReviewInstance[]>();
  for (let wave = 0; wave < chunks.length; wave += RUNS_IN_FLIGHT) {
    const maps = await Promise.all(chunks.slice(wave, wave + RUNS_IN_FLIGHT).map((chunk) => graph.reviews.instancesOf(chunk)));
    for (const map of maps) for (const [id, instances] of map) runs.set(id, instances);
  }
  return runs;
}

/**
 * The digest of active reviews (of one group's when `groupId` is given: a team channel's own): each with its current
 * run, the running ones ending soonest first. Every listed review's run is counted (decided / all items, two fields an
 * item, all runs' pages sharing `$batch` requests), the runs in progress also into the totals; the first DIGEST_ROWS are shown with their own
 * counts. A review deleted between the list and its count is left out.
 */
export async function readDigest(graph: GraphApis, options: { groupId?: string } = {}): Promise<DigestData> {
  const page = await graph.reviews.listDefinitions('active', DIGEST_REVIEWS, options.groupId);
  const definitions = page.definitions;
  const runs = await runsOf(graph, definitions.map((definition) => definition.id));
  const candidates = definitions.map((definition) => {
    const instances = runs.get(definition.id) ?? [];
    const current = currentInstance(instances);
    return {
      definition, run: runOf(current, instances), name: definition.displayName ?? '(no name)',
      running: current !== undefined && isRunning(current), endDateTime: current?.endDateTime ?? null,
    };
  });
  const ordered = digestOrder(candidates);
  const shown = ordered.slice(0, DIGEST_ROWS);
  // One count over every run (bot/graph/decisionScan.ts), beside the one request for the shown rows' group names.
  const counted = ordered.filter((row) => row.run !== undefined);
  const tallies = counted.map(() => ({ total: 0, decided: 0 }));
  const [scan, names] = await Promise.all([
    graph.reviews.scanInstances(counted.map(({ definition, run }) => ({ definitionId: definition.id, instanceId: run?.id ?? '' })),
      { select: DIGEST_FIELDS, maxItems: MAX_COUNTED }, (index, items) => {
        const tally = tallies[index];
        if (tally === undefined) return;
        tally.total += items.length;
        for (const item of items) if ((item.decision ?? 'NotReviewed').toLowerCase() !== 'notreviewed') tally.decided += 1;
      }),
    groupNamesFor(graph, shown.map((row) => row.definition)),
  ]);
  // A review deleted between the list and its count is left out; any other refusal is said as it is.
  const refused = scan.failed.find((failure) => failure.error.code !== 'NotFound');
  if (refused !== undefined) throw refused.error;
  const gone = new Set(scan.failed.map((failure) => counted[failure.index]?.definition.id));
  const truncated = new Set(scan.truncated.map((index) => counted[index]?.definition.id));
  const tallyOf = new Map(counted.map((row, index) => [row.definition.id, tallies[index] ?? { total: 0, decided: 0 }]));
  const rows = shown.filter(({ definition }) => !gone.has(definition.id)).map(({ definition, run, name }): DigestRow => {
    const tally = tallyOf.get(definition.id) ?? { total: 0, decided: 0 };
    return {
      definitionId: definition.id, name, reviewed: describeScope(definition, names), run,
      reviewedItems: tally.decided, total: tally.total, complete: !truncated.has(definition.id),
    };
  });
  const live = counted.filter(({ definition, running }) => running && !gone.has(definition.id));
  const totals = live.reduce((sum, { definition }) => {
    const tally = tallyOf.get(definition.id) ?? { total: 0, decided: 0 };
    return { ...sum, reviewedItems: sum.reviewedItems + tally.decided, total: sum.total + tally.total };
  }, { reviews: live.length, reviewedItems: 0, total: 0, complete: truncated.size === 0 });
  const more = ordered.filter(({ definition }) => !gone.has(definition.id)).length - rows.length;
  return { rows, more, moreUnread: page.nextLink !== undefined, totals };
}

const count = (n: number): string => n.toLocaleString('en-US');
const updatedAt = (now: number): string => {
  const iso = new Date(now).toISOString();
  return `Updated ${dayOf(iso)} at ${iso.slice(11, 16)} UTC`;
};

/** Where a card goes: a shared room (a team channel, a scheduled digest) gets no button into per-person data. */
export interface SummaryCardOptions {
  now: number;
  /** Buttons after Refresh (personal chat: Decisions); none in shared rooms. */
  actions?: readonly CardButton[];
}

/** A summary as its card: words and numbers only (reviewer names, never a principal or a justification). */
export function summaryCard(data: SummaryData, options: SummaryCardOptions): AdaptiveCardJson {
  const { run, counts } = data;
  const others = run !== undefined && run.otherRunning > 0 ? ` (and ${plural(run.otherRunning, 'other run')} at the same time)` : '';
  const lines = [
    { label: 'What', value: data.reviewed },
    { label: 'Reviewers', value: data.reviewers },
    { label: 'Status', value: `${statusWords(run?.status ?? data.status)}${others}` },
    ...(run === undefined ? [] : [
      { label: 'Run', value: `${dayOf(run.startDateTime)} to ${dayOf(run.endDateTime)}` },
      { label: 'Time left', value: timeLeft(run, options.now) },
    ]),
  ];
  const prefix = data.complete ? '' : 'At least: ';
  return renderSummaryCard({
    id: data.definitionId,
    title: data.name,
    lines,
    ...(run === undefined || counts === undefined ? { noRun: 'No run has started yet: nothing to count.' } : {
      progress: { reviewed: reviewedOf(counts), total: counts.total, text: progressLine(reviewedOf(counts), counts.total, data.complete) },
    }),
    decisions: counts === undefined ? [] : [
      ...([['Approved', counts.approved], ['Denied', counts.denied], ["Don't know", counts.dontKnow], ['Not reviewed', counts.notReviewed]] as const)
        .map(([label, n]) => ({ label, value: count(n) })),
      ...(counts.other > 0 ? [{ label: 'Other', value: count(counts.other) }] : []),
    ],
    facts: counts === undefined ? [] : [
      { label: 'Follow the recommendation', value: `${prefix}${count(counts.agreeing)} of ${count(counts.withRecommendation)} decisions with a recommendation` },
      { label: 'Applied results', value: prefix + countsLine([['Applied', counts.applied], ['Failed', counts.failed], ['Not supported', counts.notSupported]]) },
      { label: 'Done automatically by Microsoft Entra', value: `${prefix}${count(counts.decidedAutomatically)} decided, ${count(counts.appliedAutomatically)} applied` },
    ],
    waiting: data.waiting,
    footer: `${updatedAt(options.now)}.${data.complete ? '' : ` Counted the first ${count(MAX_COUNTED)} items only.`} Counts only: who decided what stays in personal chat.`,
    actions: options.actions ?? [],
  });
}

/** The digest as its card; `teamOnly` (a team channel: its own group's reviews) says whose reviews it lists. */
export function digestCard(data: DigestData, options: { now: number; teamOnly: boolean }): AdaptiveCardJson {
  const rows = data.rows.map((row) => {
    const run = row.run;
    const when = run === undefined ? 'No run yet' : `${statusWords(run.status)} · ends ${dayOf(run.endDateTime)} · ${timeLeft(run, options.now)}`;
    return {
      name: row.name, details: `${row.reviewed} · ${when}`, args: row.definitionId.length <= 200 ? row.definitionId : '',
      progress: { reviewed: row.reviewedItems, total: row.total, text: run === undefined ? 'Nothing to count yet' : progressLine(row.reviewedItems, row.total, row.complete) },
    };
  });
  const more = data.more > 0 ? `…and ${plural(data.more, 'more active review')}${data.moreUnread ? ` (perhaps more: I read the first ${count(DIGEST_REVIEWS)} reviews)` : ''}.`
    : data.moreUnread ? `Perhaps more: I read the first ${count(DIGEST_REVIEWS)} reviews.` : '';
  const { totals } = data;
  return renderSummaryDigestCard({
    title: options.teamOnly ? "Active access reviews of this team's group" : 'Active access reviews',
    subtitle: 'Ending soonest first',
    // Beside several rows, the whole: every active review's run counted, also those beyond the rows shown.
    overall: totals.reviews < 2 ? '' : `Across the ${totals.reviews.toLocaleString('en-US')} reviews in progress: ${progressLine(totals.reviewedItems, totals.total, totals.complete)}`,
    rows,
    emptyText: options.teamOnly ? "No active access review of this team's group." : 'No active access review that you can read.',
    more,
    footer: `${updatedAt(options.now)}. Counts only: who decided what stays in personal chat.`,
  });
}
