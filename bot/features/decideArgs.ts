import { CHOICE_INPUT, DECIDE_PAGE, type DecideFilter } from '../../cards/decide';
import { unescapeCardText } from '../../cards';
import type { ReviewerItem } from '../graph/apis';
import { isItemId, type Choice } from '../reviewing/pendingChoices';
import type { FeatureContext } from './feature';

/**
 * What the decision card sends back, parsed strictly (a card is untrusted input): its args, and the inputs of a press.
 *
 * Args: `@<definition>/<instance> [filter] [page] [step]`, where step is `submit`, `bulk:<kind>` (show how many items a
 * bulk choice touches, and ask) or `confirm:<kind>:<count>` (do it, if it still touches `count` items).
 */

/** The bulk choices: approve all recommended approve, deny all recommended deny, accept all recommendations. */
export type BulkKind = 'approveRecommended' | 'denyRecommended' | 'acceptRecommendations';
export const BULK_KINDS: readonly BulkKind[] = ['approveRecommended', 'denyRecommended', 'acceptRecommendations'];

export type DecideStep =
  | { kind: 'show' }
  | { kind: 'submit' }
  | { kind: 'bulk'; bulk: BulkKind }
  | { kind: 'confirm'; bulk: BulkKind; count: number };

export interface CardTarget {
  definitionId: string;
  instanceId: string;
  filter: DecideFilter;
  /** 0 … MAX_PAGE. */
  page: number;
  step: DecideStep;
}

export const MAX_PAGE = 10_000;
/** Items a confirmation may name (6 digits; a reviewer's items are read up to 100,000). */
export const MAX_BULK_COUNT = 999_999;

const KIND = 'approveRecommended|denyRecommended|acceptRecommendations';
const CARD_ARGS = new RegExp('^@([\\w.-]{1,100})\\/([\\w.-]{1,100})(?: (all|undecided|recommendedDeny|guests))?(?: (\\d{1,6}))?' +
  `(?: (submit|bulk:(${KIND})|confirm:(${KIND}):(\\d{1,6})))?$`);

/** The card args `args` stand for, or undefined when they are not card args (a typed `decide <review>`). Never throws. */
export function parseDecideArgs(args: string): CardTarget | undefined {
  const match = CARD_ARGS.exec(args.trim());
  if (match === null) return undefined;
  const [, definitionId = '', instanceId = '', filter, page, step, bulk, confirmed, count] = match;
  return {
    definitionId, instanceId, filter: (filter as DecideFilter | undefined) ?? 'undecided', page: Math.min(Number(page ?? 0), MAX_PAGE),
    step: step === 'submit' ? { kind: 'submit' }
      : bulk !== undefined ? { kind: 'bulk', bulk: bulk as BulkKind }
        : confirmed !== undefined ? { kind: 'confirm', bulk: confirmed as BulkKind, count: Number(count) } : { kind: 'show' },
  };
}

/** The card args of `target` (what parseDecideArgs reads back as `target`). */
export function buildDecideArgs(target: CardTarget): string {
  const { step } = target;
  const tail = step.kind === 'submit' ? ' submit' : step.kind === 'bulk' ? ` bulk:${step.bulk}`
    : step.kind === 'confirm' ? ` confirm:${step.bulk}:${Math.min(Math.max(0, Math.floor(step.count)), MAX_BULK_COUNT)}` : '';
  return `@${target.definitionId}/${target.instanceId} ${target.filter} ${Math.min(Math.max(0, Math.floor(target.page)), MAX_PAGE)}${tail}`;
}

/** Args that open the decision card of an instance. */
export const decideArgs = (definitionId: string, instanceId: string, filter: DecideFilter = 'undecided', page = 0, submit = false): string =>
  buildDecideArgs({ definitionId, instanceId, filter, page, step: submit ? { kind: 'submit' } : { kind: 'show' } });

/** What a bulk choice records for one of the reviewer's items, or undefined when it leaves the item alone. */
export function bulkDecision(kind: BulkKind, item: ReviewerItem): 'Approve' | 'Deny' | undefined {
  if ((item.decision ?? 'NotReviewed') !== 'NotReviewed') return undefined;
  const recommended = item.recommendation === 'Approve' || item.recommendation === 'Deny' ? item.recommendation : undefined;
  if (kind === 'approveRecommended') return recommended === 'Approve' ? 'Approve' : undefined;
  if (kind === 'denyRecommended') return recommended === 'Deny' ? 'Deny' : undefined;
  return recommended;
}

const MAX_JUSTIFICATION = 500;

/** What a press of the card sent: whose card it was, the choices and the justification (untrusted, re-checked). */
export interface Pressed { owner: unknown; choices: Map<string, Choice['decision']>; justification: string }

export function pressedOf(context: FeatureContext): Pressed | undefined {
  const activity = context.turn.activity;
  if (activity.type !== 'invoke') return undefined;
  const data = (activity.value as { action?: { data?: unknown } } | undefined)?.action?.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const fields = data as Record<string, unknown>;
  const choices = new Map<string, Choice['decision']>();
  for (const [key, value] of Object.entries(fields)) {
    if (!key.startsWith(CHOICE_INPUT) || choices.size >= DECIDE_PAGE) continue;
    const itemId = key.slice(CHOICE_INPUT.length);
    if (isItemId(itemId) && (value === 'Approve' || value === 'Deny' || value === 'DontKnow')) choices.set(itemId, value);
  }
  const justification = typeof fields.justification === 'string' ? unescapeCardText(fields.justification).trim().slice(0, MAX_JUSTIFICATION) : '';
  return { owner: fields.for, choices, justification };
}
