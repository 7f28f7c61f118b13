import { clip, escapeCardText, expandTemplate, unescapeCardText } from './template';
import channelSignInTemplate from './channelSignIn.json';
import helpTemplate from './help.json';
import reviewChoiceTemplate from './reviewChoice.json';
import reviewsListTemplate from './reviewsList.json';
import welcomeTemplate from './welcome.json';
import type {
  AdaptiveCardJson,
  CardButton,
  ChannelSignInCardData,
  HelpCardData,
  ReviewChoiceCardData,
  ReviewsFilter,
  ReviewsListCardData,
  WelcomeCardData,
} from './types';
import { isCardVerb, type CardVerb } from './verbs';

export type * from './types';
export { clip, escapeCardText, expandTemplate, unescapeCardText };
export { CONFIRMATION_LIMITS, renderConfirmActionCard, type ConfirmActionCardData, type ConfirmButton } from './confirmAction';
export { renderExportProgressCard, type ExportProgressCardData } from './exportProgress';
export { renderSummaryCard, renderSummaryDigestCard, SUMMARY_LIMITS, type DigestRowData, type SummaryCardData, type SummaryDigestCardData } from './summary';
export {
  MAX_WIZARD_CHOICES,
  renderConfirmationCard,
  renderCreatedCard,
  renderCreateFailedCard,
  renderSettingsFormCard,
  renderWizardAnsweredCard,
  renderWizardChoiceCard,
} from './createCards';

/** Buttons a review choice card offers (one ActionSet each, within the host's limits). */
export const MAX_REVIEW_CHOICES = 8;

/** Several reviews match a typed `<review>`: one button each, replaying the command with that review's id. */
export function renderReviewChoiceCard(data: ReviewChoiceCardData): AdaptiveCardJson {
  if (!isCardVerb(data.verb)) throw new Error(`Card "reviewChoice": unknown verb ${String(data.verb)}`);
  const choices = data.choices.slice(0, MAX_REVIEW_CHOICES).map((choice) => {
    if (choice.id.length > 128) throw new Error('Card "reviewChoice": a review id longer than 128 characters');
    return { title: clip(choice.title, 80), args: choice.id };
  });
  return expandTemplate('reviewChoice', reviewChoiceTemplate, {
    title: clip(data.title, 256), text: clip(data.text, 1000), verb: data.verb, choices, more: data.more + Math.max(0, data.choices.length - choices.length),
  });
}

/** A button that replays a command: its verb must be one the registry knows; args fit what a replay reads (200 characters). */
function cardButton(button: CardButton): { title: string; verb: CardVerb; args: string } {
  if (!isCardVerb(button.verb)) throw new Error(`Card button: unknown verb ${String(button.verb)}`);
  if (button.args.length > 200) throw new Error('Card button: args longer than 200 characters would be cut when replayed');
  return { title: clip(button.title, 40), verb: button.verb, args: button.args };
}

/** Rows the reviews list shows before it says "and N more". */
export const REVIEWS_LIST_MAX_ROWS = 10;

/** The welcome card sent on install, worded for the conversation's scope, with the main commands that work there. */
export function renderWelcomeCard(data: WelcomeCardData): AdaptiveCardJson {
  const commands = data.commands.map(({ command, description }) => ({ command: clip(command, 120), description: clip(description, 200) }));
  return expandTemplate('welcome', welcomeTemplate, { scope: data.scope, commands });
}

/** The help card: the given commands of this scope, Show reviews, and Sign out in personal chat. */
export function renderHelpCard(data: HelpCardData): AdaptiveCardJson {
  const groups = data.groups.map((group) => ({
    name: clip(group.name, 64),
    commands: group.commands.map(({ command, description }) => ({ command: clip(command, 120), description: clip(description, 200) })),
  }));
  return expandTemplate('help', helpTemplate, { scope: data.scope, groups });
}

const MAX_ACTION_VALUE = 2000;

/** The channel card whose Action.Execute button triggers Universal Actions SSO, then runs `data.verb`. */
export function renderChannelSignInCard(data: ChannelSignInCardData): AdaptiveCardJson {
  if (!isCardVerb(data.verb)) throw new Error(`Card "channelSignIn": unknown verb ${String(data.verb)}`);
  const actionData: Record<string, string> = {};
  for (const [key, value] of Object.entries(data.data)) actionData[key] = clip(value, MAX_ACTION_VALUE);
  actionData.verb = data.verb;
  return expandTemplate('channelSignIn', channelSignInTemplate, {
    title: clip(data.title, 80),
    verb: data.verb,
    data: actionData,
  });
}

const FILTER_WORDS: Readonly<Record<ReviewsFilter, string>> = { active: 'active', completed: 'completed', all: '' };

/** Display text for the reviews list header, footer and empty state. */
function reviewsListText(data: ReviewsListCardData, shown: number, total: number): { title: string; emptyText: string; footer: string } {
  const word = FILTER_WORDS[data.filter];
  const reviews = word === '' ? 'access reviews' : `${word} access reviews`;
  const hint = shown === 0 && data.paging === undefined ? data.hints?.empty : data.hints?.listed;
  // A page of a longer list counts its page, not a total: Graph has no count of definitions by status.
  const counted = data.paging !== undefined ? `Page ${data.paging.page}${data.paging.next ? ': more follow.' : '.'}`
    : shown === 0 ? '' : `Showing ${shown} of ${total} ${reviews}.`;
  return {
    title: `${reviews.charAt(0).toUpperCase()}${reviews.slice(1)}`,
    // A page that read its share of Graph's pages without a match, while more follow: say so, not "none found".
    emptyText: data.paging?.next !== undefined ? `No ${reviews} in this part of the list: press Next to read on.` : `No ${reviews} found.`,
    footer: clip([counted, hint ?? ''].filter((part) => part !== '').join(' '), 500),
  };
}

/** The compact list of access review definitions: up to 10 rows, then "and N more". */
export function renderReviewsListCard(data: ReviewsListCardData): AdaptiveCardJson {
  const rows = data.reviews.slice(0, REVIEWS_LIST_MAX_ROWS).map((review) => ({
    displayName: clip(review.displayName, 256),
    reviewedScope: clip(review.reviewedScope, 256),
    status: clip(review.status, 64),
    recurrence: clip(review.recurrence, 128),
    details: clip([review.reviewers === undefined ? '' : `Reviewers: ${review.reviewers}`, review.currentRun ?? ''].filter((part) => part !== '').join(' · '), 300),
    actions: (review.actions ?? []).slice(0, 3).map(cardButton),
  }));
  // A page of a longer list shows its rows and Previous / Next; "and N more" is for an unpaged first answer.
  const total = data.paging !== undefined ? rows.length : Math.max(data.totalCount ?? data.reviews.length, data.reviews.length);
  const pager = data.paging === undefined ? [] : [data.paging.previous, data.paging.next].filter((button): button is CardButton => button !== undefined).map(cardButton);
  return expandTemplate('reviewsList', reviewsListTemplate, {
    ...reviewsListText(data, rows.length, total),
    notice: clip(data.notice ?? '', 500),
    rows,
    moreCount: total - rows.length,
    pager,
  });
}
