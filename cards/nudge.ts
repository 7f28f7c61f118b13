/** The reviewer's nudge (personal chat, sent by the bot on its own): a review has started, or is about to end. */
import nudgeTemplate from './nudge.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson } from './types';

/** `start`: the run has started; `reminder`: little time is left and items are still undecided. */
export type NudgeKind = 'start' | 'reminder';

/** The facts a nudge states, as the app identity can read them (never a reviewer's own share: see `undecided`). */
export interface NudgeCardData {
  readonly kind: NudgeKind;
  /** The review's name ("Sales Team guest review"). */
  readonly reviewName: string;
  /** What is reviewed ("Guests of Sales Team"). */
  readonly reviewed: string;
  /** The run's last day in words ("Friday 12 December 2026"). */
  readonly due: string;
  /** "21 days left", "2 days left", "5 hours left". */
  readonly timeLeft: string;
  /**
   * Items of the run still NotReviewed, among all its reviewers: the app cannot read one reviewer's share
   * (that walk is delegated only), so the card says so.
   */
  readonly undecided: number;
  /** False when counting stopped early: the card says "more than". */
  readonly undecidedComplete: boolean;
  /** The review's description for reviewers ('' for none). */
  readonly description: string;
  /** The reviewer the card is for (their Entra object id): a press by anyone else changes nothing. */
  readonly owner: string;
  /** Args that open the decision card ('@<definition>/<instance> undecided 0', at most 200 characters). */
  readonly args: string;
}

const count = (n: number, complete: boolean, word: string): string =>
  `${complete ? '' : 'more than '}${n.toLocaleString('en-US')} ${word}${n === 1 && complete ? '' : 's'}`;

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The card's words (also the notification text Teams shows for it). */
export function nudgeWords(data: NudgeCardData): { title: string; subtitle: string; body: string; start: string } {
  const items = count(data.undecided, data.undecidedComplete, 'item');
  if (data.kind === 'start') {
    const title = data.undecided === 0 ? `${data.reviewName} has started, due ${data.due}` : `${capitalised(items)} to review for ${data.reviewName}, due ${data.due}`;
    return {
      title, subtitle: `${data.reviewed} · ${data.timeLeft}`,
      body: 'You are one of this review\'s reviewers. The number counts every item still undecided in the review, among all its reviewers; Start shows yours.',
      start: 'Start',
    };
  }
  return {
    title: `${data.timeLeft}: ${data.reviewName} ends ${data.due}`,
    subtitle: `${data.reviewed} · ${items} still undecided`,
    body: 'Items are still undecided in this review, among all its reviewers. Decisions can be recorded until it ends.',
    start: 'Decide now',
  };
}

export function renderNudgeCard(data: NudgeCardData): AdaptiveCardJson {
  if (data.args.length > 200) throw new Error('Card "nudge": args longer than 200 characters');
  if (data.owner.length > 100) throw new Error('Card "nudge": an owner id longer than 100 characters');
  const words = nudgeWords(data);
  return expandTemplate('nudge', nudgeTemplate, {
    title: clip(words.title, 300), subtitle: clip(words.subtitle, 300), body: words.body,
    description: clip(data.description, 1000), start: words.start, args: data.args, owner: data.owner,
    footer: 'Sent once to each reviewer who chats with this bot. Type "my reviews" to see every review you owe decisions in.',
  });
}
