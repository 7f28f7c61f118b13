/** `decisions <review>`'s card (personal chat only): counts, then one page of decision items, Previous / Next. */
import decisionsTemplate from './decisions.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson, SettingLine } from './types';

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

export function renderDecisionsCard(data: DecisionsCardData): AdaptiveCardJson {
  for (const args of [data.previous, data.next]) if (args.length > 200) throw new Error('Card "decisions": args longer than 200 characters');
  return expandTemplate('decisions', decisionsTemplate, {
    title: clip(data.title, 256),
    run: clip(data.run, 200),
    counts: data.counts.slice(0, 12).map((line) => ({ label: clip(line.label, 64), value: clip(line.value, 300) })),
    itemsTitle: clip(data.itemsTitle, 120),
    emptyText: clip(data.emptyText, 200),
    items: data.items.slice(0, DECISIONS_PAGE).map((item) => ({
      principal: clip(item.principal, 120), kind: clip(item.kind, 40), decision: clip(item.decision, 200), justification: clip(item.justification, 500),
      outcome: clip(item.outcome, 200), automatic: clip(item.automatic, 80),
    })),
    footer: clip(data.footer, 300),
    previous: data.previous,
    next: data.next,
  });
}
