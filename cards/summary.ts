/**
 * `summary <review>`'s card (one run: progress bar, counts per decision, recommendation, apply results, the service's
 * own steps, who is still to answer) and `summary all`'s digest (every active review with its progress). Both go to
 * shared rooms: they carry counts and reviewer names, never a principal or a justification.
 */
import { waitingLine } from '../reviews/describeDefinition';
import { progressWeights } from '../reviews/summary';
import summaryTemplate from './summary.json';
import summaryDigestTemplate from './summaryDigest.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson, CardButton, SettingLine } from './types';
import { MAX_CARD_BYTES } from './validate';
import { isCardVerb } from './verbs';

/** The run's progress: decided and all items, and the line that says it ("12 of 40 reviewed (30%)"). */
export interface SummaryProgress {
  readonly reviewed: number;
  readonly total: number;
  readonly text: string;
}

export interface SummaryCardData {
  /** The review's id: what Refresh replays `summary` with. */
  readonly id: string;
  readonly title: string;
  /** What is reviewed, reviewers, status, run dates, time left (up to 8). */
  readonly lines: readonly SettingLine[];
  /** Absent: no run yet (`noRun` says so instead of the numbers). */
  readonly progress?: SummaryProgress;
  readonly noRun?: string;
  /** The counts per decision, as tiles: value "12", label "Approved" (up to 5). */
  readonly decisions: readonly SettingLine[];
  /** Follows the recommendation, applied results, done automatically (up to 6). */
  readonly facts: readonly SettingLine[];
  /** Contacted reviewers still to answer, names only: shown as "Waiting on A, B and 3 more" (none: no line). */
  readonly waiting: readonly string[];
  /** e.g. "Updated Monday 2 June 2025 at 09:00 UTC". */
  readonly footer: string;
  /** Buttons after Refresh (personal chat: Decisions), each posting its command's card below. */
  readonly actions: readonly CardButton[];
}

/** One review of the digest as display strings; `args` replays `summary` on it ('' for no button). */
export interface DigestRowData {
  readonly name: string;
  /** e.g. "Guests of Sales Team · In progress · ends Friday 20 June 2025 · 5 days left". */
  readonly details: string;
  readonly progress: SummaryProgress;
  readonly args: string;
}

export interface SummaryDigestCardData {
  readonly title: string;
  readonly subtitle: string;
  /** Every active review's items together, e.g. "All 12 active reviews: 310 of 2,400 reviewed (12%)" ('' for none). */
  readonly overall: string;
  readonly rows: readonly DigestRowData[];
  readonly emptyText: string;
  /** e.g. "…and 4 more active reviews" ('' for none). */
  readonly more: string;
  readonly footer: string;
}

export const SUMMARY_LIMITS = { lines: 8, decisions: 5, facts: 6, actions: 3, digestRows: 10 } as const;

/**
 * `clip` counts UTF-16 units, the 28 KB counts UTF-8 bytes of JSON (escapes, CJK, emoji, the word joiner added to
 * `${`): a card over the limit is expanded again with its free texts halved, until it fits.
 */
function fitting(expand: (scale: number) => AdaptiveCardJson): AdaptiveCardJson {
  let card = expand(1);
  for (let scale = 0.5; scale >= 1 / 32 && Buffer.byteLength(JSON.stringify(card), 'utf8') > MAX_CARD_BYTES; scale /= 2) card = expand(scale);
  return card;
}

const cut = (text: string, max: number, scale: number): string => clip(text, Math.max(12, Math.floor(max * scale)));

function checkedArgs(args: string, card: string): string {
  if (args.length > 200) throw new Error(`Card "${card}": args longer than 200 characters would be cut when replayed`);
  return args;
}

const progressData = (progress: SummaryProgress, scale: number): { progress: string; done: number; left: number } =>
  ({ progress: cut(progress.text, 100, scale), ...progressWeights(progress.reviewed, progress.total) });

export function renderSummaryCard(data: SummaryCardData): AdaptiveCardJson {
  if (data.id.length > 128) throw new Error('Card "summary": a review id longer than 128 characters');
  const actions = data.actions.slice(0, SUMMARY_LIMITS.actions).map((action) => {
    if (!isCardVerb(action.verb)) throw new Error(`Card "summary": unknown verb ${String(action.verb)}`);
    return { title: clip(action.title, 40), verb: action.verb, args: checkedArgs(action.args, 'summary') };
  });
  const row = (line: SettingLine, scale: number): SettingLine => ({ label: cut(line.label, 64, scale), value: cut(line.value, 300, scale) });
  return fitting((scale) => expandTemplate('summary', summaryTemplate, {
    id: data.id,
    title: cut(data.title, 256, scale),
    lines: data.lines.slice(0, SUMMARY_LIMITS.lines).map((line) => row(line, scale)),
    noRun: data.progress === undefined ? cut(data.noRun ?? 'No run has started yet.', 200, scale) : '',
    ...(data.progress === undefined ? { progress: '', done: 0, left: 0 } : progressData(data.progress, scale)),
    decisions: data.decisions.slice(0, SUMMARY_LIMITS.decisions).map((tile) => ({ label: cut(tile.label, 40, scale), value: clip(tile.value, 20) })),
    facts: data.facts.slice(0, SUMMARY_LIMITS.facts).map((line) => row(line, scale)),
    // waitingLine counts code points, the card UTF-16 units (2 for an emoji): half the budget, so "and N more" survives.
    waiting: cut(waitingLine(data.waiting, Math.floor((300 * scale) / 2)), 300, scale),
    footer: cut(data.footer, 200, scale),
    actions,
  }));
}

export function renderSummaryDigestCard(data: SummaryDigestCardData): AdaptiveCardJson {
  const rows = data.rows.slice(0, SUMMARY_LIMITS.digestRows);
  const hidden = data.rows.length - rows.length;
  for (const row of rows) checkedArgs(row.args, 'summaryDigest');
  return fitting((scale) => expandTemplate('summaryDigest', summaryDigestTemplate, {
    title: cut(data.title, 200, scale),
    subtitle: cut(data.subtitle, 200, scale),
    overall: cut(data.overall, 200, scale),
    rows: rows.map((row) => ({ name: cut(row.name, 200, scale), details: cut(row.details, 300, scale), ...progressData(row.progress, scale), args: row.args })),
    emptyText: cut(data.emptyText, 300, scale),
    more: cut(data.more !== '' || hidden === 0 ? data.more : `…and ${hidden.toLocaleString('en-US')} more`, 200, scale),
    footer: cut(data.footer, 300, scale),
  }));
}
