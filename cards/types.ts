import type { CardVerb } from './verbs';

/** Where a card is shown: Teams' `conversation.conversationType` values. */
export type ConversationScope = 'personal' | 'groupChat' | 'channel';

/** Data a card button carries back to the bot; untrusted when it returns. */
export type CardActionData = Readonly<Record<string, string>>;

/** An expanded Adaptive Card: plain JSON, ready to attach. */
export type AdaptiveCardJson = Readonly<Record<string, unknown>>;

/** Groups of the help card, in display order. */
export type HelpGroup = 'Create' | 'Read' | 'Manage' | 'Channel digests' | 'Account';

/** One row of the help table: a command, one line about it, and where it works. */
export interface HelpCommand {
  readonly command: string;
  readonly description: string;
  readonly group: HelpGroup;
  readonly scopes: readonly ConversationScope[];
}

/** Data for welcome.json: sent when the bot is installed. */
export interface WelcomeCardData {
  readonly scope: ConversationScope;
}

/** Data for help.json: the scope decides which commands are listed. */
export interface HelpCardData {
  readonly scope: ConversationScope;
  /** When given, only these entries of HELP_COMMANDS (by their `command` text) are listed: what this version does. */
  readonly commands?: readonly string[];
}

/** Data for channelSignIn.json: the button that replays a command with Universal Actions SSO. */
export interface ChannelSignInCardData {
  /** Button title, e.g. "Show active reviews". */
  readonly title: string;
  readonly verb: CardVerb;
  /** Sent back with the verb, e.g. `{ command: 'reviews active' }`. */
  readonly data: CardActionData;
}

/** Which definitions the reviews list shows. */
export type ReviewsFilter = 'active' | 'completed' | 'all';

/** One access review definition, as display strings. */
export interface ReviewListRow {
  readonly displayName: string;
  /** What is reviewed, e.g. "Guests of Sales Team". */
  readonly reviewedScope: string;
  readonly status: string;
  /** e.g. "Quarterly" or "One time". */
  readonly recurrence: string;
}

/** Data for reviewsList.json: at most 10 rows are shown, the rest counted. */
export interface ReviewsListCardData {
  readonly filter: ReviewsFilter;
  readonly reviews: readonly ReviewListRow[];
  /** Total matching definitions when `reviews` is only a first page; defaults to `reviews.length`. */
  readonly totalCount?: number;
}
