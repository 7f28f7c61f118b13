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

/** Every Action.Execute verb a card may carry; the bot's registry must handle each one. */
export const ALL_VERBS = [HELP, REVIEWS_LIST, SIGN_OUT, REVIEW_CREATE, REVIEW_CHANGE, REVIEW_CANCEL] as const;

/** One of the verbs in ALL_VERBS. */
export type CardVerb = (typeof ALL_VERBS)[number];

/** True when `value` is a verb the cards and the registry know. */
export function isCardVerb(value: unknown): value is CardVerb {
  return typeof value === 'string' && (ALL_VERBS as readonly string[]).includes(value);
}
