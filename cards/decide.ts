/** The reviewer's decision card (personal chat only): one page of their items, a choice for each, Submit. */
import decideTemplate from './decide.json';
import myReviewsTemplate from './myReviews.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson } from './types';
import { MAX_CARD_BYTES } from './validate';

/** One item as display strings, with the id its choice input carries. */
export interface DecideItemLine {
  readonly itemId: string;
  readonly name: string;
  /** e.g. " · Guest · a_fabrikam.test#EXT#@contoso.local". */
  readonly kind: string;
  /** e.g. "Deny recommended: last sign-in 200 days ago (look-back 30 days)". */
  readonly reason: string;
  /** e.g. "Recorded: Approve" ('' when undecided). */
  readonly recorded: string;
  /** The pending choice ('Approve', 'Deny', 'DontKnow') or ''. */
  readonly pending: string;
}

export type DecideFilter = 'all' | 'undecided' | 'recommendedDeny' | 'guests';

export interface DecideCardData {
  readonly title: string;
  readonly run: string;
  /** e.g. "You: 12 of 40 undecided · 3 pending". */
  readonly standing: string;
  readonly notice: string;
  readonly noticeIsWarning: boolean;
  readonly itemsTitle: string;
  readonly emptyText: string;
  readonly items: readonly DecideItemLine[];
  readonly justificationRequired: boolean;
  readonly footer: string;
  /** The reviewer the card is for (their id): a press by anyone else changes nothing. */
  readonly owner: string;
  /** Args of each button ('' for none; each at most 200 characters). */
  readonly previous: string;
  readonly next: string;
  readonly submit: string;
  readonly submitTitle: string;
  readonly filter: DecideFilter;
  readonly filters: Readonly<Record<DecideFilter, string>>;
  /** Args of the bulk buttons (absent: none shown, e.g. a closed review, or while a bulk choice is being confirmed). */
  readonly bulk?: Readonly<Record<DecideBulk, string>>;
  /** A bulk choice being confirmed: its Confirm button (e.g. "Approve 1,234 items") and Back, and the justification typed with it. */
  readonly confirm?: { readonly title: string; readonly args: string; readonly back: string; readonly justification: string };
}

/** The bulk buttons, as the card names them. */
export type DecideBulk = 'approveRecommended' | 'denyRecommended' | 'acceptRecommendations';

export const DECIDE_PAGE = 10;
export const CHOICE_INPUT = 'choice:';
const FILTER_TITLES: Record<DecideFilter, string> = { all: 'All', undecided: 'Undecided', recommendedDeny: 'Recommended deny', guests: 'Guests' };
const ITEM_LIMITS = { name: 120, kind: 160, reason: 200, recorded: 160 } as const;

/** The card, its long texts halved until it fits 28 KB (ten items of emoji or CJK names included). */
export function renderDecideCard(data: DecideCardData): AdaptiveCardJson {
  const bulk = data.bulk === undefined ? [] : Object.values(data.bulk);
  const confirm = data.confirm === undefined ? [] : [data.confirm.args, data.confirm.back];
  for (const args of [data.previous, data.next, data.submit, ...Object.values(data.filters), ...bulk, ...confirm]) {
    if (args.length > 200) throw new Error('Card "decide": args longer than 200 characters');
  }
  for (const item of data.items) if (item.itemId.length > 100) throw new Error('Card "decide": an item id longer than 100 characters');
  let card = expand(data, 1);
  for (let scale = 0.5; scale >= 1 / 16 && Buffer.byteLength(JSON.stringify(card), 'utf8') > MAX_CARD_BYTES; scale /= 2) card = expand(data, scale);
  return card;
}

function expand(data: DecideCardData, scale: number): AdaptiveCardJson {
  const limit = (key: keyof typeof ITEM_LIMITS): number => Math.max(16, Math.floor(ITEM_LIMITS[key] * scale));
  const title = (filter: DecideFilter): string => (filter === data.filter ? `✓ ${FILTER_TITLES[filter]}` : FILTER_TITLES[filter]);
  return expandTemplate('decide', decideTemplate, {
    title: clip(data.title, 256), run: clip(data.run, 300), standing: clip(data.standing, 200),
    notice: clip(data.notice, Math.max(200, Math.floor(1500 * scale))),
    noticeColor: data.noticeIsWarning ? 'Attention' : data.confirm === undefined ? 'Good' : 'Default',
    itemsTitle: clip(data.itemsTitle, 160), emptyText: clip(data.emptyText, 300),
    items: data.items.slice(0, DECIDE_PAGE).map((item) => ({
      inputId: `${CHOICE_INPUT}${item.itemId}`, name: clip(item.name, limit('name')), kind: clip(item.kind, limit('kind')),
      reason: clip(item.reason, limit('reason')), recorded: clip(item.recorded, limit('recorded')),
      pending: ['Approve', 'Deny', 'DontKnow'].includes(item.pending) ? item.pending : '', editable: data.submit !== '',
    })),
    justificationLabel: data.justificationRequired ? 'Justification (required to approve in this review)' : 'Justification (optional)',
    justificationHint: data.justificationRequired ? 'Why these people keep their access' : 'Why, for the choices on this page',
    footer: clip(data.footer, 400), owner: data.owner,
    previous: data.previous, next: data.next, submit: data.submit, submitTitle: clip(data.submitTitle, 40),
    filterAll: title('all'), filterUndecided: title('undecided'), filterDeny: title('recommendedDeny'), filterGuests: title('guests'),
    showAll: data.filters.all, showUndecided: data.filters.undecided, showDeny: data.filters.recommendedDeny, showGuests: data.filters.guests,
    bulkApprove: data.bulk?.approveRecommended ?? '', bulkDeny: data.bulk?.denyRecommended ?? '', bulkAccept: data.bulk?.acceptRecommendations ?? '',
    confirm: data.confirm?.args ?? '', confirmTitle: clip(data.confirm?.title ?? '', 40), back: data.confirm?.back ?? '',
    justificationValue: clip(data.confirm?.justification ?? '', 500),
  });
}

/** One review the reviewer owes decisions in (a row of `my reviews`). */
export interface OwedRow {
  readonly name: string;
  /** e.g. "Guests of Sales Team · ends Friday 6 June 2025 · 4 days left". */
  readonly details: string;
  /** e.g. "12 of 40 to decide · 3 pending". */
  readonly owed: string;
  /** Args that open the decision card ('@<definition>/<instance> undecided 0'). */
  readonly args: string;
  /** "Start" or "Continue". */
  readonly start: string;
}

export interface MyReviewsCardData {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: readonly OwedRow[];
  readonly emptyText: string;
  readonly more: string;
  readonly footer: string;
  readonly owner: string;
}

export const MY_REVIEWS_ROWS = 15;

/** `my reviews`: the reviews the user owes decisions in, most urgent first, a Start button each. */
export function renderMyReviewsCard(data: MyReviewsCardData): AdaptiveCardJson {
  for (const row of data.rows) if (row.args.length > 200) throw new Error('Card "myReviews": args longer than 200 characters');
  let card = expandMyReviews(data, 1);
  for (let scale = 0.5; scale >= 1 / 16 && Buffer.byteLength(JSON.stringify(card), 'utf8') > MAX_CARD_BYTES; scale /= 2) card = expandMyReviews(data, scale);
  return card;
}

function expandMyReviews(data: MyReviewsCardData, scale: number): AdaptiveCardJson {
  const cut = (text: string, max: number): string => clip(text, Math.max(16, Math.floor(max * scale)));
  return expandTemplate('myReviews', myReviewsTemplate, {
    title: clip(data.title, 200), subtitle: clip(data.subtitle, 300), emptyText: clip(data.emptyText, 400),
    rows: data.rows.slice(0, MY_REVIEWS_ROWS).map((row) => ({
      name: cut(row.name, 200), details: cut(row.details, 300), owed: cut(row.owed, 120), args: row.args, start: clip(row.start, 20), owner: data.owner,
    })),
    more: clip(data.more, 200), footer: clip(data.footer, 300), owner: data.owner,
  });
}
