import { HELP, REVIEWS_LIST, SIGN_OUT, type CardVerb } from '../../cards/verbs';
import type { TokenProvider } from '../auth/tokenProvider';
import type { CommandName } from '../commands/commands';
import type { Feature } from './feature';
import { helpFeature } from './help';
import { notYetFeature } from './notYet';
import { reviewsFeature } from './reviews';
import { signOutFeature } from './signOut';

/** Every command's feature (wired once in app.ts). */
export type FeatureRegistry = ReadonlyMap<CommandName, Feature>;

const NOT_YET: Partial<Record<CommandName, string>> = {
  show: 'show', decisions: 'decisions', stop: 'stop', remind: 'remind',
  apply: 'apply', reset: 'reset', delete: 'delete', export: 'export', edit: 'edit', summary: 'summary', subscribe: 'subscribe',
  unsubscribe: 'unsubscribe', subscriptions: 'subscriptions',
};

/** The commands this version really does (help, the manifest's command menu and its test follow it). createReview and
 * quickCreate are dialogs (RootDialog begins them), the others features. */
export const IMPLEMENTED_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>(['help', 'reviews', 'signOut', 'createReview', 'quickCreate']);

export function createFeatures(tokens: TokenProvider): FeatureRegistry {
  const features = new Map<CommandName, Feature>([
    ['help', helpFeature(IMPLEMENTED_COMMANDS)], ['reviews', reviewsFeature], ['signOut', signOutFeature(tokens)],
  ]);
  for (const [name, word] of Object.entries(NOT_YET) as Array<[CommandName, string]>) features.set(name, notYetFeature(word));
  return features;
}

/** Card buttons (Action.Execute verbs) → the command they stand for. */
export const VERB_COMMANDS: Readonly<Partial<Record<CardVerb, CommandName>>> = {
  [HELP]: 'help',
  [REVIEWS_LIST]: 'reviews',
  [SIGN_OUT]: 'signOut',
};
