import { isAppError } from '../errors';
import type { RecordOutcome, ReviewDefinition, ReviewerItem } from '../graph/apis';
import { bulkDecision, type BulkKind } from './decideArgs';
import type { ReviewingDeps } from './decide';
import type { FeatureContext } from './feature';

/**
 * The decision card's bulk choices (issue 13: approve all recommended approve, deny all recommended deny, accept all
 * recommendations): asked first with the number of items they touch, then recorded once as the presser, the items
 * re-read from Graph (never from the card).
 */

export type Ref = { definitionId: string; instanceId: string };
export interface Notice { text: string; warning: boolean }
/** A bulk choice waiting for its Confirm: how many items it touches, and the justification typed with it. */
export interface Asking { kind: BulkKind; count: number; justification: string }

const count = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
export const nameOf = (item: ReviewerItem | undefined, fallback: string): string => item?.principal.displayName ?? item?.principal.userPrincipalName ?? fallback;
/** Up to five failures by name with Graph's reason, and how many more. */
export const namedFailures = (failed: RecordOutcome['failed'], items: ReadonlyMap<string, ReviewerItem>): string =>
  failed.slice(0, 5).map(({ itemId, error }) => `${nameOf(items.get(itemId), itemId)}: ${error.userMessage.replace(/[.\s]+$/u, '')}`).join('; ') +
  (failed.length > 5 ? `; and ${failed.length - 5} more` : '');

/** The words of each bulk choice. */
export const BULK: Record<BulkKind, { button: string; records: string; none: string; confirm: (n: number) => string; done: (n: number) => string }> = {
  approveRecommended: {
    button: 'Approve all recommended approve', records: 'Approve for', none: 'None of your undecided items is recommended for approval: there is nothing to approve.',
    confirm: (n) => `Approve ${count(n, 'item')}`, done: (n) => `Approved ${count(n, 'item')} recommended for approval.`,
  },
  denyRecommended: {
    button: 'Deny all recommended deny', records: 'Deny for', none: 'None of your undecided items is recommended for denial: there is nothing to deny.',
    confirm: (n) => `Deny ${count(n, 'item')}`, done: (n) => `Denied ${count(n, 'item')} recommended for denial.`,
  },
  acceptRecommendations: {
    button: 'Accept all recommendations', records: 'the recommended decision for', none: 'None of your undecided items has a recommendation to accept.',
    confirm: (n) => `Accept ${count(n, 'recommendation')}`, done: (n) => `Accepted the recommendation for ${count(n, 'item')}`,
  },
};
const BUSY = 'Your decisions for this review are being recorded already: nothing was recorded twice.';

/** One of the reviewer's items a bulk choice records, with the decision it gets. */
interface Chosen { item: ReviewerItem; decision: 'Approve' | 'Deny' }
type BulkAnswer = { notice: Notice; asking?: Asking };

/** The reviewer's undecided items `kind` records, read from Graph as the presser (never from the card). */
async function chosenFor(context: FeatureContext, ref: Ref, kind: BulkKind): Promise<Chosen[]> {
  const items = await context.graph.reviewer.allMyItems(ref.definitionId, ref.instanceId);
  return items.flatMap((item) => {
    const decision = bulkDecision(kind, item);
    return decision === undefined ? [] : [{ item, decision }];
  });
}

/** Approve and Deny are recorded per item (the box's text with each); accepting is one request, unless approvals need the text. */
const perItem = (kind: BulkKind, chosen: readonly Chosen[], required: boolean): boolean =>
  kind !== 'acceptRecommendations' || (required && chosen.some((c) => c.decision === 'Approve'));

/** The question before a bulk choice: how many items it records, what it leaves alone, what the justification does. */
async function question(context: FeatureContext, deps: ReviewingDeps, definition: ReviewDefinition, ref: Ref, kind: BulkKind, chosen: readonly Chosen[],
  justification: string): Promise<string> {
  const required = definition.settings?.justificationRequiredOnApproval === true;
  const approvals = chosen.filter((c) => c.decision === 'Approve').length;
  const split = kind === 'acceptRecommendations' ? ` (${approvals.toLocaleString('en-US')} approve, ${(chosen.length - approvals).toLocaleString('en-US')} deny)` : '';
  const pending = (await deps.pending.get(context.userId, ref.instanceId))?.choices ?? {};
  const replaced = chosen.filter((c) => pending[c.item.id] !== undefined).length;
  const parts = [`${BULK[kind].button}: this records ${BULK[kind].records} ${chosen.length.toLocaleString('en-US')} of your undecided items${split}.`,
    'Items already decided and your other pending choices stay as they are.'];
  if (replaced > 0) parts.push(`It replaces your pending choice for ${replaced.toLocaleString('en-US')} of them.`);
  if (approvals > 0 && required && justification === '') parts.push('This review requires a justification to approve: write it in the box below first.');
  else if (justification !== '') parts.push(perItem(kind, chosen, required) ? 'The justification in the box is recorded with each one.' : 'Accepting recommendations records no justification.');
  parts.push(`Press ${BULK[kind].confirm(chosen.length)} to record them, or Back.`);
  return parts.join(' ');
}

/** A bulk button: how many items it would record, and a Confirm for that many (none: said so, no Confirm). */
export async function askBulk(context: FeatureContext, deps: ReviewingDeps, definition: ReviewDefinition, ref: Ref, kind: BulkKind, justification: string): Promise<BulkAnswer> {
  const chosen = await chosenFor(context, ref, kind);
  if (chosen.length === 0) return { notice: { text: BULK[kind].none, warning: false } };
  return { notice: { text: await question(context, deps, definition, ref, kind, chosen, justification), warning: false }, asking: { kind, count: chosen.length, justification } };
}

/**
 * A bulk Confirm, once (the reviewer's claim on the instance, shared with Submit): the items are read again, and when
 * their number is not the one confirmed, the new number is asked about instead; approvals the review wants a
 * justification for are refused without one, before any Graph write.
 */
export async function confirmBulk(context: FeatureContext, deps: ReviewingDeps, definition: ReviewDefinition, ref: Ref, asked: Asking): Promise<BulkAnswer> {
  const { kind, justification } = asked;
  const answer = await deps.pending.claim(context.userId, ref.instanceId, async (): Promise<BulkAnswer> => {
    const chosen = await chosenFor(context, ref, kind);
    if (chosen.length === 0) return { notice: { text: `${BULK[kind].none} Nothing was recorded.`, warning: true } };
    const again = { kind, count: chosen.length, justification };
    if (chosen.length !== asked.count) {
      const changed = `The number of items changed since you asked (${asked.count.toLocaleString('en-US')} then, ${chosen.length.toLocaleString('en-US')} now): nothing was recorded yet.`;
      return { notice: { text: `${changed} ${await question(context, deps, definition, ref, kind, chosen, justification)}`, warning: true }, asking: again };
    }
    const required = definition.settings?.justificationRequiredOnApproval === true;
    if (required && justification === '' && chosen.some((c) => c.decision === 'Approve')) {
      const text = `Approving needs a justification in this review: write why in the box below, then press ${BULK[kind].confirm(chosen.length)} again. Nothing was recorded.`;
      return { notice: { text, warning: true }, asking: again };
    }
    return { notice: await recordBulk(context, deps, ref, kind, chosen, perItem(kind, chosen, required) ? justification : undefined) };
  });
  return answer ?? { notice: { text: BUSY, warning: true } };
}

/**
 * Records the chosen items: per item (`recordDecisions`, 20 to a `$batch`) with `justification`, or, when it is
 * undefined, by one `acceptRecommendations`. Their pending choices are cleared; failures stay undecided, named.
 */
async function recordBulk(context: FeatureContext, deps: ReviewingDeps, ref: Ref, kind: BulkKind, chosen: readonly Chosen[], justification: string | undefined): Promise<Notice> {
  let sent: Pick<RecordOutcome, 'recorded' | 'failed'>;
  if (justification === undefined) {
    try {
      await context.graph.reviewer.acceptRecommendations(ref.definitionId, ref.instanceId);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return { text: `The recommendations were not accepted: ${error.userMessage}`, warning: true };
    }
    // Graph answers 204 with no list: it took the recommendation of the caller's undecided items, the ones just read.
    sent = { recorded: chosen.map((c) => c.item.id), failed: [] };
  } else {
    sent = await context.graph.reviewer.recordDecisions(ref.definitionId, ref.instanceId,
      chosen.map(({ item, decision }) => ({ itemId: item.id, decision, ...(justification === '' ? {} : { justification }) })));
  }
  const pending = (await deps.pending.get(context.userId, ref.instanceId))?.choices ?? {};
  const cleared = sent.recorded.filter((id) => pending[id] !== undefined);
  if (cleared.length > 0) await deps.pending.change(context.userId, ref, new Map(cleared.map((id) => [id, null])));
  const items = new Map(chosen.map((c) => [c.item.id, c]));
  const approved = sent.recorded.filter((id) => items.get(id)?.decision === 'Approve').length;
  const parts = sent.recorded.length === 0 ? ['Nothing was recorded.']
    : [kind === 'acceptRecommendations' ? `${BULK[kind].done(sent.recorded.length)}: ${approved.toLocaleString('en-US')} approved, ` +
      `${(sent.recorded.length - approved).toLocaleString('en-US')} denied.` : BULK[kind].done(sent.recorded.length)];
  if (sent.failed.length > 0) {
    parts.push(`Not recorded, still undecided (${sent.failed.length.toLocaleString('en-US')}): ${namedFailures(sent.failed, new Map(chosen.map((c) => [c.item.id, c.item])))}.`);
  }
  return { text: parts.join(' '), warning: sent.failed.length > 0 };
}

