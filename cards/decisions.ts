/** `decisions <review>`'s card (personal chat only): counts, then one page of decision items, Previous / Next. */
import decisionsTemplate from './decisions.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson, SettingLine } from './types';
import { MAX_CARD_BYTES } from './validate';

/** One decision item as display strings ('' leaves a line out). */
export interface DecisionItemLine {
  readonly principal: string;
  /** e.g. " · user". */
  readonly kind: string;
  /** e.g. "Approved by Megan Bowen on Monday 2 June 2025". */
  readonly decision: string;
  readonly justification: string;
  /** e.g. "Recommended: approve · Applied: not yet". */
  readonly outcome: string;
  /** "Decided automatically by Microsoft Entra", or ''. */
  readonly automatic: string;
}

export interface DecisionsCardData {
  readonly title: string;
  readonly run: string;
  readonly counts: readonly SettingLine[];
  readonly itemsTitle: string;
  readonly emptyText: string;
  readonly items: readonly DecisionItemLine[];
  readonly footer: string;
  /** Args that replay `decisions` on the previous / next page ('' for none; at most 200 characters). */
  readonly previous: string;
  readonly next: string;
}

export const DECISIONS_PAGE = 10;

/** The items' longest texts (UTF-16 units) at full size; a page whose card would pass 28 KB gets them shorter. */
const ITEM_LIMITS = { principal: 120, decision: 200, justification: 500, outcome: 200 } as const;

/**
 * `clip` counts UTF-16 units, the 28 KB counts UTF-8 bytes of JSON: ten items of CJK text (3 bytes a unit), control
 * characters (6 bytes escaped) or `${`/`{{` pairs (a word joiner added after clipping) can pass the limit at full size.
 * Such a page is rendered again with the items' long texts halved, until it fits (the rest stays as it is).
 */
export function renderDecisionsCard(data: DecisionsCardData): AdaptiveCardJson {
  for (const args of [data.previous, data.next]) if (args.length > 200) throw new Error('Card "decisions": args longer than 200 characters');
  let card = expandDecisions(data, 1);
  for (let scale = 0.5; scale >= 1 / 16 && Buffer.byteLength(JSON.stringify(card), 'utf8') > MAX_CARD_BYTES; scale /= 2) card = expandDecisions(data, scale);
  return card;
}

function expandDecisions(data: DecisionsCardData, scale: number): AdaptiveCardJson {
  const limit = (key: keyof typeof ITEM_LIMITS): number => Math.max(16, Math.floor(ITEM_LIMITS[key] * scale));
  return expandTemplate('decisions', decisionsTemplate, {
    title: clip(data.title, 256),
    run: clip(data.run, 200),
    counts: data.counts.slice(0, 12).map((line) => ({ label: clip(line.label, 64), value: clip(line.value, 300) })),
    itemsTitle: clip(data.itemsTitle, 120),
    emptyText: clip(data.emptyText, 200),
    items: data.items.slice(0, DECISIONS_PAGE).map((item) => ({
      principal: clip(item.principal, limit('principal')), kind: clip(item.kind, 40), decision: clip(item.decision, limit('decision')),
      justification: clip(item.justification, limit('justification')), outcome: clip(item.outcome, limit('outcome')), automatic: clip(item.automatic, 80),
    })),
    footer: clip(data.footer, 300),
    previous: data.previous,
    next: data.next,
  });
}
