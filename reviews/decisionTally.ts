/**
 * Counts over an instance's decision items for `decisions` (and the words for one item), pure. Items arrive page by
 * page and are added as they come, so nothing holds the whole review. The service's own steps (default decisions,
 * auto-apply) show `reviewedBy` / `appliedBy` as "AAD Access Reviews" or the zero id: "decided automatically by
 * Microsoft Entra" (product spec).
 */

interface Identity { readonly id?: string | null; readonly displayName?: string | null; readonly userPrincipalName?: string | null }
export interface TalliedItem {
  readonly decision?: string | null;
  readonly recommendation?: string | null;
  readonly applyResult?: string | null;
  readonly reviewedBy?: Identity | null;
  readonly appliedBy?: Identity | null;
}

export interface DecisionTally {
  total: number;
  byDecision: Map<string, number>;
  byRecommendation: Map<string, number>;
  byApplyResult: Map<string, number>;
  /** Decided items (approve/deny) whose recommendation was approve/deny, and how many of them followed it. */
  withRecommendation: number;
  agreeing: number;
  decidedAutomatically: number;
  appliedAutomatically: number;
}

export const AUTOMATIC_LABEL = 'Decided automatically by Microsoft Entra';
/** A reviewer's decision that the service applied (auto-apply). */
export const APPLIED_AUTOMATICALLY_LABEL = 'Applied automatically by Microsoft Entra';
const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const SERVICE = 'aad access reviews';

const DECISION_WORDS: Readonly<Record<string, string>> = { approve: 'Approved', deny: 'Denied', dontknow: "Don't know", notreviewed: 'Not reviewed' };
const RECOMMENDATION_WORDS: Readonly<Record<string, string>> = { approve: 'Approve', deny: 'Deny', noinfoavailable: 'No information' };
const APPLY_WORDS: Readonly<Record<string, string>> = {
  new: 'Not applied yet', appliedsuccessfully: 'Applied', appliedwithunknownfailure: 'Failed',
  appliedsuccessfullybutobjectnotfound: 'Applied (no longer in the directory)', applynotsupported: 'Not supported',
};

const key = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase();
const wordsOf = (table: Readonly<Record<string, string>>, value: string | null | undefined, none: string): string =>
  table[key(value)] ?? (value?.trim() || none);

export const decisionWords = (decision: string | null | undefined): string => wordsOf(DECISION_WORDS, decision, 'Not reviewed');
export const recommendationWords = (value: string | null | undefined): string => wordsOf(RECOMMENDATION_WORDS, value, 'None');
export const applyWords = (value: string | null | undefined): string => wordsOf(APPLY_WORDS, value, 'Not applied yet');

/** The service itself as reviewer or applier: its display name, or the zero id on an item it acted on. */
function isService(identity: Identity | null | undefined, acted: boolean): boolean {
  if (key(identity?.displayName) === SERVICE) return true;
  return acted && (identity?.id ?? '').trim() === ZERO_ID;
}

export const decidedAutomatically = (item: TalliedItem): boolean => isService(item.reviewedBy, key(item.decision) !== '' && key(item.decision) !== 'notreviewed');
export const appliedAutomatically = (item: TalliedItem): boolean => isService(item.appliedBy, key(item.applyResult) !== '' && key(item.applyResult) !== 'new');

export function newTally(): DecisionTally {
  return { total: 0, byDecision: new Map(), byRecommendation: new Map(), byApplyResult: new Map(), withRecommendation: 0, agreeing: 0,
    decidedAutomatically: 0, appliedAutomatically: 0 };
}

const bump = (map: Map<string, number>, name: string): void => {
  map.set(name, (map.get(name) ?? 0) + 1);
};

export function addToTally(tally: DecisionTally, items: readonly TalliedItem[]): void {
  for (const item of items) {
    tally.total += 1;
    bump(tally.byDecision, decisionWords(item.decision));
    bump(tally.byRecommendation, recommendationWords(item.recommendation));
    bump(tally.byApplyResult, applyWords(item.applyResult));
    const decision = key(item.decision);
    const recommendation = key(item.recommendation);
    if ((decision === 'approve' || decision === 'deny') && (recommendation === 'approve' || recommendation === 'deny')) {
      tally.withRecommendation += 1;
      if (decision === recommendation) tally.agreeing += 1;
    }
    if (decidedAutomatically(item)) tally.decidedAutomatically += 1;
    if (appliedAutomatically(item)) tally.appliedAutomatically += 1;
  }
}

const count = (n: number): string => n.toLocaleString('en-US');
/** "Approved 3 · Denied 1 · Not reviewed 246": in the order given, then any others as they came. */
function counted(map: ReadonlyMap<string, number>, order: readonly string[]): string {
  const names = [...order.filter((name) => map.has(name)), ...[...map.keys()].filter((name) => !order.includes(name))];
  return names.length === 0 ? 'None' : names.map((name) => `${name} ${count(map.get(name) ?? 0)}`).join(' · ');
}

/** The card's count rows. `complete` false: the counts cover the items read so far ("at least"). */
export function tallyLines(tally: DecisionTally, complete: boolean): Array<{ label: string; value: string }> {
  const prefix = complete ? '' : 'At least: ';
  return [
    { label: 'Items', value: `${prefix}${count(tally.total)}` },
    { label: 'Decisions', value: prefix + counted(tally.byDecision, ['Approved', 'Denied', "Don't know", 'Not reviewed']) },
    { label: 'Recommendations', value: prefix + counted(tally.byRecommendation, ['Approve', 'Deny', 'No information']) },
    { label: 'Applied results', value: prefix + counted(tally.byApplyResult, Object.values(APPLY_WORDS)) },
    { label: 'Follow the recommendation', value: `${count(tally.agreeing)} of ${count(tally.withRecommendation)} decisions with one` },
    { label: AUTOMATIC_LABEL, value: `${count(tally.decidedAutomatically)} decided, ${count(tally.appliedAutomatically)} applied` },
  ];
}
