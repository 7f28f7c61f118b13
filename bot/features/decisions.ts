import { DECISIONS_PAGE, renderDecisionsCard, type DecisionItemLine } from '../../cards/decisions';
import { REVIEW_DECISIONS } from '../../cards/verbs';
import {
  addToTally, appliedAutomatically, APPLIED_AUTOMATICALLY_LABEL, applyWords, AUTOMATIC_LABEL, decidedAutomatically, decisionWords, newTally, recommendationWords, tallyLines,
} from '../../reviews/decisionTally';
import { currentInstance, dayOf } from '../../reviews/describeDefinition';
import { statusWords } from '../../reviews/status';
import { isAppError } from '../errors';
import type { DecisionValue, ExportedDecision, ReviewDefinition } from '../graph/apis';
import { quoted } from '../userText';
import type { Feature, FeatureContext, FeatureReply } from './feature';
import { findReview } from './findReview';

/** The filter words and the decision each lists (absent: every item). */
const FILTERS: Readonly<Record<string, DecisionValue>> = { pending: 'NotReviewed', approved: 'Approve', denied: 'Deny', dontknow: 'DontKnow' };
/** The fields of the listed items; the counting scan reads only those the counts need (half the bytes of each page). */
const FIELDS = ['id', 'decision', 'justification', 'recommendation', 'applyResult', 'reviewedBy', 'reviewedDateTime', 'appliedBy', 'principal'];
export const COUNTED_FIELDS = ['id', 'decision', 'recommendation', 'applyResult', 'reviewedBy', 'appliedBy'];
/** Items counted at most (then the card says "at least"). */
const MAX_ITEMS = 200_000;
const MAX_PAGE = 20_000;

/** `[pending|approved|denied|dontknow] [page <n>]` after the review → the filter and page, or undefined. */
function parseRest(rest: string): { filter: string | undefined; page: number } | undefined {
  const words = rest.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
  let filter: string | undefined;
  if (words[0] !== undefined && words[0] in FILTERS) filter = words.shift();
  if (words.length === 0) return { filter, page: 1 };
  if (words.length === 2 && words[0] === 'page' && /^\d{1,5}$/.test(words[1] ?? '')) {
    const page = Number(words[1]);
    return page >= 1 && page <= MAX_PAGE ? { filter, page } : undefined;
  }
  return undefined;
}

const principalName = (item: ExportedDecision): string =>
  item.principal?.displayName?.trim() || item.principal?.userPrincipalName?.trim() || item.principal?.id?.trim() || 'Unknown principal';
const principalKind = (item: ExportedDecision): string => {
  const type = item.principal?.type ?? (item.principal?.['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '').replace(/Identity$/, '');
  return type ? ` · ${type}` : '';
};
const byWhom = (item: ExportedDecision): string => {
  if (decidedAutomatically(item)) return ' by Microsoft Entra';
  const name = item.reviewedBy?.displayName?.trim() || item.reviewedBy?.userPrincipalName?.trim();
  return name ? ` by ${name}` : '';
};

function itemLine(item: ExportedDecision): DecisionItemLine {
  const decided = (item.decision ?? 'NotReviewed').toLowerCase() !== 'notreviewed';
  // Said as it happened: a reviewer's decision applied by the service is "applied automatically", not "decided".
  const automatic = decidedAutomatically(item) ? AUTOMATIC_LABEL : appliedAutomatically(item) ? APPLIED_AUTOMATICALLY_LABEL : '';
  return {
    principal: principalName(item),
    kind: principalKind(item),
    decision: decided ? `${decisionWords(item.decision)}${byWhom(item)}${item.reviewedDateTime ? ` on ${dayOf(item.reviewedDateTime)}` : ''}` : 'Not reviewed yet',
    justification: item.justification?.trim() ?? '',
    outcome: `Recommended: ${recommendationWords(item.recommendation)} · Applied: ${applyWords(item.applyResult)}`,
    automatic,
  };
}

async function decisionsOf(context: FeatureContext, definition: ReviewDefinition, filter: string | undefined, page: number): Promise<FeatureReply> {
  const { instances } = await context.graph.reviews.instancesPage(definition.id);
  const instance = currentInstance(instances);
  const name = definition.displayName ?? '(no name)';
  if (instance === undefined) return { text: `${quoted(name)} has no run yet, so there are no decisions to show.` };
  const tally = newTally();
  const wanted = filter === undefined ? undefined : FILTERS[filter];
  let listed = 0;
  // Every item is counted (the filter's too); this page's items are read beside the count, with the long fields.
  const [scan, shown] = await Promise.all([
    context.graph.reviews.scanDecisions(definition.id, instance.id, { select: COUNTED_FIELDS, maxItems: MAX_ITEMS }, (items) => {
      addToTally(tally, items);
      listed += wanted === undefined ? items.length : items.filter((item) => (item.decision ?? 'NotReviewed').toLowerCase() === wanted.toLowerCase()).length;
    }),
    context.graph.reviews.decisionsAt(definition.id, instance.id, { select: FIELDS, decision: wanted, skip: (page - 1) * DECISIONS_PAGE, top: DECISIONS_PAGE }),
  ]);
  const words = filter === undefined ? '' : ` ${filter}`;
  const args = (n: number): string => `${definition.id}${words}${n === 1 ? '' : ` page ${n}`}`;
  const pages = Math.max(1, Math.ceil(listed / DECISIONS_PAGE));
  return {
    card: renderDecisionsCard({
      title: `Decisions: ${name}`,
      run: `${instances.length > 1 ? 'Current run' : 'Run'} · ${statusWords(instance.status)} · ${dayOf(instance.startDateTime)} to ${dayOf(instance.endDateTime)}`,
      counts: tallyLines(tally, scan.complete),
      itemsTitle: filter === undefined ? 'Items' : `Items: ${filter === 'dontknow' ? "don't know" : filter}`,
      emptyText: page > pages ? 'No items on this page: the list is shorter now.' : 'No items.',
      items: shown.map(itemLine),
      footer: `Page ${page.toLocaleString('en-US')} of ${pages.toLocaleString('en-US')}${scan.complete ? '' : ' (counted so far)'}. Filters: pending, approved, denied, dontknow.`,
      previous: page > 1 ? args(Math.min(page - 1, pages)) : '',
      next: page < pages ? args(page + 1) : '',
    }),
  };
}

/**
 * `decisions <review> [pending|approved|denied|dontknow]` (personal chat only: per-principal data never goes to shared
 * rooms; the catalogue answers elsewhere): the current (or latest) run's counts per decision, recommendation and apply
 * result, how many follow the recommendation, what the service decided or applied itself, then the items 10 a page.
 */
export const decisionsFeature = (): Feature => ({
  async run(context) {
    const found = await findReview(context, { phrase: 'decisions', verb: REVIEW_DECISIONS, trailingKeywords: Object.keys(FILTERS) });
    if (found.kind === 'answer') return found.reply;
    const parsed = parseRest(found.rest);
    if (parsed === undefined) {
      return { text: `I didn't understand ${quoted(found.rest)} after the review. Try \`decisions <review> pending\`, \`approved\`, \`denied\` or \`dontknow\`.` };
    }
    try {
      return await decisionsOf(context, found.review, parsed.filter, parsed.page);
    } catch (error) {
      if (isAppError(error, 'NotFound')) {
        return { text: `The review ${quoted(found.review.displayName ?? found.review.id)} (or its run) no longer exists (it may have just been deleted). Nothing changed.` };
      }
      throw error;
    }
  },
});
