import { clip, escapeCardText, expandTemplate, unescapeCardText } from './template';
import channelSignInTemplate from './channelSignIn.json';
import helpTemplate from './help.json';
import reviewsListTemplate from './reviewsList.json';
import welcomeTemplate from './welcome.json';
import type {
  AdaptiveCardJson,
  ChannelSignInCardData,
  ConversationScope,
  HelpCardData,
  HelpCommand,
  HelpGroup,
  ReviewsFilter,
  ReviewsListCardData,
  WelcomeCardData,
} from './types';
import { isCardVerb } from './verbs';

export type * from './types';
export { clip, escapeCardText, expandTemplate, unescapeCardText };
export {
  CONFIRMATION_LIMITS,
  MAX_WIZARD_CHOICES,
  renderConfirmationCard,
  renderCreatedCard,
  renderCreateFailedCard,
  renderSettingsFormCard,
  renderWizardChoiceCard,
} from './createCards';

/** Rows the reviews list shows before it says "and N more". */
export const REVIEWS_LIST_MAX_ROWS = 10;

/** Every command the bot understands, grouped and tagged with the scopes where it works (product.md). */
export const HELP_COMMANDS: readonly HelpCommand[] = [
  { group: 'Create', command: 'create review', description: 'start the step-by-step creation wizard (also: new review)', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Create', command: 'review <target> [options]', description: 'create in one line, e.g. review this team guests monthly', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Read', command: 'reviews [active|completed|all]', description: 'list access reviews, 10 at a time', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Read', command: 'show <review>', description: 'settings and runs of one review', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Read', command: 'decisions <review> [pending|approved|denied|dontknow]', description: 'who decided what in the current run', scopes: ['personal', 'groupChat'] },
  { group: 'Read', command: 'summary <review> | all', description: 'progress and decision counts, or a digest of all active reviews', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Read', command: 'export <review>[, <review>...] | all', description: 'every decision of those reviews as a CSV file', scopes: ['personal'] },
  { group: 'Manage', command: 'edit <review>', description: 'change name, descriptions, duration, reminders and decision settings', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Manage', command: 'remind <review>', description: 'remind reviewers who have not answered yet', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Manage', command: 'stop <review>', description: 'end the current run early (asks first)', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Manage', command: 'apply <review>', description: 'apply the decisions of a finished run (asks first)', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Manage', command: 'reset <review>', description: 'clear the decisions of the current run (asks first)', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Manage', command: 'delete <review>', description: 'delete the review and its history (asks first)', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Channel digests', command: 'subscribe <review|all> daily|weekly [at HH:MM]', description: 'post a summary to this channel on a schedule', scopes: ['channel'] },
  { group: 'Channel digests', command: 'unsubscribe <review|all>', description: 'stop a scheduled summary', scopes: ['channel'] },
  { group: 'Channel digests', command: 'subscriptions', description: "list this channel's scheduled summaries", scopes: ['channel'] },
  { group: 'Account', command: 'help', description: 'this card', scopes: ['personal', 'groupChat', 'channel'] },
  { group: 'Account', command: 'sign out', description: 'forget your sign-in', scopes: ['personal', 'groupChat'] },
];

const HELP_GROUP_ORDER: readonly HelpGroup[] = ['Create', 'Read', 'Manage', 'Channel digests', 'Account'];

/** The welcome card sent on install, worded for the conversation's scope. */
export function renderWelcomeCard(data: WelcomeCardData): AdaptiveCardJson {
  return expandTemplate('welcome', welcomeTemplate, { scope: data.scope });
}

/** The commands of HELP_COMMANDS that work in `scope`, grouped in display order. */
export function helpCommandsFor(scope: ConversationScope, only?: readonly string[]): { name: HelpGroup; commands: HelpCommand[] }[] {
  return HELP_GROUP_ORDER.map((name) => ({
    name,
    commands: HELP_COMMANDS.filter((entry) => entry.group === name && entry.scopes.includes(scope) && (only === undefined || only.includes(entry.command))),
  })).filter((group) => group.commands.length > 0);
}

/** The help card: the commands available in this scope, Show reviews, and Sign out in personal chat. */
export function renderHelpCard(data: HelpCardData): AdaptiveCardJson {
  const groups = helpCommandsFor(data.scope, data.commands).map((group) => ({
    name: group.name,
    commands: group.commands.map(({ command, description }) => ({ command, description })),
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
function reviewsListText(filter: ReviewsFilter, shown: number, total: number): { title: string; emptyText: string; footer: string } {
  const word = FILTER_WORDS[filter];
  const reviews = word === '' ? 'access reviews' : `${word} access reviews`;
  return {
    title: `${reviews.charAt(0).toUpperCase()}${reviews.slice(1)}`,
    emptyText: `No ${reviews} found.`,
    footer:
      shown === 0
        ? 'Type **create review** to start one.'
        : `Showing ${shown} of ${total} ${reviews}. Type **show** and a review name for details.`,
  };
}

/** The compact list of access review definitions: up to 10 rows, then "and N more". */
export function renderReviewsListCard(data: ReviewsListCardData): AdaptiveCardJson {
  const rows = data.reviews.slice(0, REVIEWS_LIST_MAX_ROWS).map((review) => ({
    displayName: clip(review.displayName, 256),
    reviewedScope: clip(review.reviewedScope, 256),
    status: clip(review.status, 64),
    recurrence: clip(review.recurrence, 128),
  }));
  const total = Math.max(data.totalCount ?? data.reviews.length, data.reviews.length);
  return expandTemplate('reviewsList', reviewsListTemplate, {
    ...reviewsListText(data.filter, rows.length, total),
    rows,
    moreCount: total - rows.length,
  });
}
