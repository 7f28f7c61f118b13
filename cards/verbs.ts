/** Shows the context-aware help card. */
export const HELP = 'help.show';
/** Lists access review definitions (the `reviews` command). */
export const REVIEWS_LIST = 'reviews.list';
/** Forgets the user's tokens (the `sign out` command). */
export const SIGN_OUT = 'auth.signOut';
/** Creates the review a confirmation card describes (the card's Create button; acts as the presser, once). */
export const REVIEW_CREATE = 'review.create';
/** Goes back from a confirmation or failure card to a wizard step (Change a setting / Change <setting>). */
export const REVIEW_CHANGE = 'review.change';
/** Drops the draft a confirmation or failure card describes. */
export const REVIEW_CANCEL = 'review.cancel';
/** Confirms a stop / apply / reset / delete card (acts once, as the presser, on the ids re-read from Graph). */
export const REVIEW_ACTION_CONFIRM = 'reviewAction.confirm';
/** Drops a stop / apply / reset / delete confirmation. */
export const REVIEW_ACTION_CANCEL = 'reviewAction.cancel';
/** Saves the changes an `edit` confirmation card shows (PUT of the whole definition, once, as the presser). */
export const REVIEW_EDIT_CONFIRM = 'reviewEdit.confirm';
/** Drops an `edit` confirmation. */
export const REVIEW_EDIT_CANCEL = 'reviewEdit.cancel';

/** Shows one review's settings and runs (the `show` command; a list row's Details, a show card's Refresh). */
export const REVIEW_SHOW = 'reviews.show';
/** Replay `stop|remind|apply|reset|delete <review>` from a card (e.g. a choice of reviews): `args` is the review's id. */
export const REVIEW_STOP = 'reviews.stop';
export const REVIEW_REMIND = 'reviews.remind';
export const REVIEW_APPLY = 'reviews.apply';
export const REVIEW_RESET = 'reviews.reset';
export const REVIEW_DELETE = 'reviews.delete';

/** Shows one review's decisions, a page at a time (the `decisions` command; personal chat only). */
export const REVIEW_DECISIONS = 'reviews.decisions';

/** Shows one review's summary card, or the digest of active reviews with `all` (the `summary` command; Refresh updates the posted card). */
export const REVIEW_SUMMARY = 'reviews.summary';

/** Replays `subscribe …` as the presser (a channel's Continue as me signs them in first). */
export const DIGEST_SUBSCRIBE = 'digests.subscribe';

/** Replays `unsubscribe …` as the presser (a channel's Continue as me signs them in first). */
export const DIGEST_UNSUBSCRIBE = 'digests.unsubscribe';

/** The reviewer's decision card: keeps the page's choices as pending, then shows another page or submits (`decide`). */
export const REVIEWER_DECIDE = 'reviewer.decide';

/** Every Action.Execute verb a card may carry; the bot's registry must handle each one. */
export const ALL_VERBS = [HELP, REVIEWS_LIST, SIGN_OUT, REVIEW_CREATE, REVIEW_CHANGE, REVIEW_CANCEL, REVIEW_ACTION_CONFIRM, REVIEW_ACTION_CANCEL, REVIEW_EDIT_CONFIRM, REVIEW_EDIT_CANCEL, REVIEW_STOP, REVIEW_REMIND, REVIEW_APPLY, REVIEW_RESET, REVIEW_DELETE, REVIEW_SHOW, REVIEW_DECISIONS, REVIEW_SUMMARY, DIGEST_SUBSCRIBE, DIGEST_UNSUBSCRIBE, REVIEWER_DECIDE] as const;

/** One of the verbs in ALL_VERBS. */
export type CardVerb = (typeof ALL_VERBS)[number];

/** True when `value` is a verb the cards and the registry know. */
export function isCardVerb(value: unknown): value is CardVerb {
  return typeof value === 'string' && (ALL_VERBS as readonly string[]).includes(value);
}
