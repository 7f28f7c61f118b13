/**
 * The one confirm-then-act card: what is about to happen, its details, warnings and problems, and the buttons
 * that act on a pending action (bot/pending/pendingActions.ts). Creating a review is its first user; stopping,
 * applying, resetting and deleting reviews use it too. Every button sends `{ verb, confirmationId, revision }`.
 */
import confirmActionTemplate from './confirmAction.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson, SettingLine } from './types';
import type { CardVerb } from './verbs';
import { MAX_CARD_BYTES } from './validate';

/** Lines, warnings and problems a confirmation card shows before it says "and N more". */
export const CONFIRMATION_LIMITS = { lines: 40, warnings: 10, problems: 10 } as const;

/** Longest id a card sends back; never clipped, so an over-long one is a bug. */
const MAX_ID = 256;
/** Clip lengths for the card's free text, tried longest first until the card fits in 28 KB. */
const FIT_STEPS = [256, 128, 64, 32] as const;

export interface ConfirmButton {
  readonly title: string;
  readonly verb: CardVerb;
}

export interface ConfirmActionCardData {
  /** The pending action's id (its storage key's suffix). */
  readonly confirmationId: string;
  /** The pending action's revision: a press on a card showing an older one is refused and the card refreshed. */
  readonly revision: number;
  /** A line above the card, e.g. that it replaced an out-of-date one. */
  readonly notice?: string;
  readonly title: string;
  /** What is about to happen, in plain words (up to 40 shown). */
  readonly lines: readonly SettingLine[];
  /** A second block under its own heading (e.g. the impact preview), when there is one. */
  readonly details?: { readonly title: string; readonly lines: readonly SettingLine[] };
  /** Shown in attention colour (up to 10). */
  readonly warnings: readonly string[];
  /** What stops the action: its button is hidden while there is any (up to 10 shown). */
  readonly problems: readonly string[];
  /** The heading over the problems; default "This cannot be done yet:". */
  readonly problemsTitle?: string;
  /** The button that acts, e.g. Create; shown only when `canAct` and there is no problem. */
  readonly act: ConfirmButton;
  readonly canAct: boolean;
  /** Said under the details while the action can be taken, e.g. "Nothing is created until you press Create.". */
  readonly actNote: string;
  /** Buttons between the act and Cancel, e.g. Change a setting. */
  readonly others?: readonly ConfirmButton[];
  /** Drops the pending action. */
  readonly cancel: ConfirmButton;
  /** How it ended (done, cancelled, refused for good): the card is then closed, with this line and no buttons. */
  readonly outcome?: string;
}

function firstOf<T>(items: readonly T[], limit: number): { shown: readonly T[]; more: number } {
  return { shown: items.slice(0, limit), more: Math.max(0, items.length - limit) };
}

/** A label/value row with both sides clipped; labels never need more than 64 characters. */
const line = ({ label, value }: SettingLine, max: number): SettingLine => ({ label: clip(label, Math.min(64, max)), value: clip(value, max) });

const bytesOf = (card: AdaptiveCardJson): number => Buffer.byteLength(JSON.stringify(card), 'utf8');

/** Renders the card; free text is clipped harder until it fits in 28 KB. */
export function renderConfirmActionCard(data: ConfirmActionCardData): AdaptiveCardJson {
  if (data.confirmationId.length > MAX_ID) throw new Error(`Card "confirmAction": confirmationId is longer than ${MAX_ID} characters`);
  const lines = firstOf(data.lines, CONFIRMATION_LIMITS.lines);
  const warnings = firstOf(data.warnings, CONFIRMATION_LIMITS.warnings);
  const problems = firstOf(data.problems, CONFIRMATION_LIMITS.problems);
  const closed = data.outcome !== undefined;
  const canAct = !closed && data.canAct && data.problems.length === 0;
  const buttons = closed ? [] : [...(canAct ? [data.act] : []), ...(data.others ?? []), data.cancel].map((button) => ({ title: clip(button.title, 60), verb: button.verb }));
  const render = (max: number): AdaptiveCardJson =>
    expandTemplate('confirmAction', confirmActionTemplate, {
      confirmationId: data.confirmationId,
      revision: data.revision,
      notice: clip(data.notice ?? '', 256),
      title: clip(data.title, max),
      lines: lines.shown.map((entry) => line(entry, max)),
      moreLines: lines.more,
      detailsTitle: clip(data.details?.title ?? '', 64),
      detailLines: (data.details?.lines ?? []).map((entry) => line(entry, max)),
      warnings: warnings.shown.map((text) => clip(text, max)),
      moreWarnings: warnings.more,
      problems: problems.shown.map((text) => clip(text, max)),
      moreProblems: problems.more,
      problemsTitle: clip(data.problemsTitle ?? 'This cannot be done yet:', 128),
      canAct,
      actNote: clip(data.actNote, 256),
      outcome: clip(data.outcome ?? '', 600),
      buttons,
    });
  let card = render(FIT_STEPS[0]);
  for (const max of FIT_STEPS.slice(1)) {
    if (bytesOf(card) <= MAX_CARD_BYTES) break;
    card = render(max);
  }
  return card;
}
