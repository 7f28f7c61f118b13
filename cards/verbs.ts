/** Shows the context-aware help card. */
export const HELP = 'help.show';
/** Lists access review definitions (the `reviews` command). */
export const REVIEWS_LIST = 'reviews.list';
/** Forgets the user's tokens (the `sign out` command). */
export const SIGN_OUT = 'auth.signOut';

/** Every Action.Execute verb a card may carry; the bot's registry must handle each one. */
export const ALL_VERBS = [HELP, REVIEWS_LIST, SIGN_OUT] as const;

/** One of the verbs in ALL_VERBS. */
export type CardVerb = (typeof ALL_VERBS)[number];

/** True when `value` is a verb the cards and the registry know. */
export function isCardVerb(value: unknown): value is CardVerb {
  return typeof value === 'string' && (ALL_VERBS as readonly string[]).includes(value);
}
