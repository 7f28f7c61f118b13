import type { ReviewOptions } from '../reviews/settings';
import type { CardVerb } from './verbs';

/** Where a card is shown: Teams' `conversation.conversationType` values. */
export type ConversationScope = 'personal' | 'groupChat' | 'channel';

/** Data a card button carries back to the bot; untrusted when it returns. */
export type CardActionData = Readonly<Record<string, string>>;

/** An expanded Adaptive Card: plain JSON, ready to attach. */
export type AdaptiveCardJson = Readonly<Record<string, unknown>>;

/** One row of the help table: a command as typed (with its arguments) and one line about it. */
export interface HelpCommand {
  readonly command: string;
  readonly description: string;
}

/** A titled group of rows on the help card. */
export interface HelpGroupData {
  readonly name: string;
  readonly commands: readonly HelpCommand[];
}

/** Data for welcome.json: sent when the bot is installed. */
export interface WelcomeCardData {
  readonly scope: ConversationScope;
  /** The main commands that work in this scope (from the bot's command catalogue). */
  readonly commands: readonly HelpCommand[];
}

/** Data for help.json: the commands that work in this scope (from the bot's command catalogue), in groups. */
export interface HelpCardData {
  readonly scope: ConversationScope;
  readonly groups: readonly HelpGroupData[];
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
  /** Who reviews, e.g. "Group owners". */
  readonly reviewers?: string;
  /** The current run, e.g. "Current run ends Friday 20 June 2025". */
  readonly currentRun?: string;
  /** Buttons under the row (Details, Decisions): each replays its command's verb with `args` (the review's id). */
  readonly actions?: readonly CardButton[];
}

/** An Action.Execute button that replays a command: its text, the command's verb, and the arguments it is replayed with. */
export interface CardButton {
  readonly title: string;
  readonly verb: CardVerb;
  readonly args: string;
}

/** Data for reviewsList.json: at most 10 rows are shown, the rest counted. */
export interface ReviewsListCardData {
  readonly filter: ReviewsFilter;
  readonly reviews: readonly ReviewListRow[];
  /** Total matching definitions when `reviews` is only a first page; defaults to `reviews.length`. */
  readonly totalCount?: number;
  /**
   * What to type next, under the list (`listed`) or when it is empty (`empty`): given by the caller from the command
   * catalogue, so the card never names a command that does not exist or does not work where it is shown.
   */
  readonly hints?: { readonly listed?: string; readonly empty?: string };
  /** A line under the title, e.g. that a channel lists only its team's reviews. */
  readonly notice?: string;
  /** A page of a longer list: its number, and the Previous / Next buttons (absent: no such page). */
  readonly paging?: { readonly page: number; readonly previous?: CardButton; readonly next?: CardButton };
}

/**
 * Data for reviewChoice.json: several reviews match what was typed; each button replays the command (its `verb`)
 * with the review's id as `args` (card data is untrusted: the command resolves the id again, as the presser).
 */
export interface ReviewChoiceCardData {
  readonly title: string;
  readonly text: string;
  readonly verb: CardVerb;
  /** Up to 8: the button's text (name · status) and the review's id. */
  readonly choices: ReadonlyArray<{ readonly title: string; readonly id: string }>;
  /** How many more matched than are shown. */
  readonly more: number;
}

/** Data for wizardAnswered.json: a wizard card once answered (Teams updates the message in place). */
export interface WizardAnsweredCardData {
  readonly title: string;
  /** What became of the question, e.g. "✓ Finance Apps", "Went back." */
  readonly answer: string;
}

/** One button of a wizard choice card: its text and the `choice` it sends back. */
export interface WizardChoice {
  readonly title: string;
  /** Sent back as `choice`; kept whole (never clipped), so keep it short: at most 256 characters. */
  readonly value: string;
}

/**
 * Data for wizardChoice.json: one wizard question answered by buttons (or typed text). Each button is an
 * Action.Submit whose data is `{ wizard: stepId, choice: value }`.
 */
export interface WizardChoiceCardData {
  readonly stepId: string;
  readonly title: string;
  readonly text: string;
  /** Up to 12 buttons, stacked; add Back and Cancel here when the step offers them. */
  readonly choices: readonly WizardChoice[];
  /** e.g. "Type cancel, back or help at any time." */
  readonly hint?: string;
  /** Why the previous answer was not accepted, shown in attention colour. */
  readonly problem?: string;
}

/**
 * Data for settingsForm.json (wizard step 5). Next submits `{ wizard: stepId, choice: 'next' }` plus the inputs,
 * by id: the ReviewOptions field names ('true'/'false' for toggles, the DefaultDecision or DeniedGuestAction value
 * for choice sets), `name` and `descriptionForReviewers` (pass these through unescapeCardText). `deniedGuests` is
 * absent unless isGuestScope, `autoApply` absent when isDynamicGroup. Back and Cancel submit no inputs.
 */
export interface SettingsFormCardData {
  /** The card's title, e.g. "New access review · 5 of 5: settings" (default "Settings"). */
  readonly title?: string;
  readonly stepId: string;
  /** Initial values of the form. */
  readonly options: Readonly<ReviewOptions>;
  readonly name: string;
  readonly descriptionForReviewers: string;
  /** Guests of a group or of all Microsoft 365 groups: only then is "denied guests" asked. */
  readonly isGuestScope: boolean;
  /** Dynamic groups cannot be auto-applied: the toggle is replaced by a note saying so. */
  readonly isDynamicGroup: boolean;
  readonly hint?: string;
  /** Why the previous submission was not accepted, shown in attention colour. */
  readonly problem?: string;
}

/** One row of a settings summary: "Reviewers" → "Group owners (fallback: Ada Lovelace)". */
export interface SettingLine {
  readonly label: string;
  readonly value: string;
}

/**
 * Data for confirmation.json (wizard step 6 and quick create): Create, Change a setting and Cancel are
 * Action.Execute buttons whose data is `{ verb, confirmationId }`.
 */
export interface ConfirmationCardData {
  readonly confirmationId: string;
  /** The draft's revision: a press on a card showing an older one is refused and the card refreshed. */
  readonly revision: number;
  /** A line above the card, e.g. that it replaced an out-of-date one. */
  readonly notice?: string;
  readonly title: string;
  /** Every setting in plain words (up to 40 shown). */
  readonly lines: readonly SettingLine[];
  /** Display strings of the impact preview, e.g. "42 (40 members, 2 guests)". */
  readonly impact: { readonly principals: string; readonly guests: string; readonly reviewers: string };
  /** Warning texts of the impact preview, shown in attention colour (up to 10 shown). */
  readonly warnings: readonly string[];
  readonly canCreate: boolean;
  /** Validation problems: Create is hidden when there is any (up to 10 shown). */
  readonly problems: readonly string[];
}

/** Where the command that follows a created review works: in this conversation, or only in personal chat with the bot. */
export interface FollowUpCommand {
  /** A command phrase of the bot's catalogue, e.g. `reviews` (lower-case words only: it is shown in bold). */
  readonly command: string;
  readonly where: 'here' | 'personalChat';
}

/** Data for created.json (wizard step 7): the review Graph created. */
export interface CreatedCardData {
  /**
   * A press on a confirmation card older than the one the review was created from: the heading says "This review was
   * already created" instead of "Access review created".
   */
  readonly alreadyCreated?: boolean;
  /** A line under the heading, e.g. that the settings below are not the ones the pressed card showed. */
  readonly notice?: string;
  readonly name: string;
  readonly id: string;
  /** In words: "Starts within minutes", "Scheduled: starts on …", "In progress". */
  readonly status: string;
  /** When the first run starts, as display text. */
  readonly firstRun: string;
  /** The settings the review was created with, in plain words (up to 20 shown). */
  readonly settings?: readonly SettingLine[];
  /** The command that shows the review and its status; absent: no such line (never a command this version lacks). */
  readonly followUp?: FollowUpCommand;
  /** The review in the Entra admin center; the button is left out unless it is an http(s) URL of ≤ 2048 characters. */
  readonly link: string;
}

/** Data for createFailed.json: what went wrong, in plain words, and the way back into the wizard. */
export interface CreateFailedCardData {
  readonly title: string;
  readonly reason: string;
  /** The wizard step that changes the rejected setting: adds "Change <changeLabel ?? changeStep>" sending `step`. */
  readonly changeStep?: string;
  /** Button text after "Change ", e.g. "reviewers"; defaults to changeStep. */
  readonly changeLabel?: string;
  /** Offers "Try again" (review.create) when the failure was transient (Graph busy): the dialog checks before retrying. */
  readonly canRetry?: boolean;
  readonly confirmationId: string;
  readonly revision: number;
}
