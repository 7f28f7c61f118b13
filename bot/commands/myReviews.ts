import { myReviewsFeature } from '../features/myReviews';
import type { CommandDefinition } from './command';

/** `my reviews`: the reviews the user owes decisions in (personal chat; their own token). */
export const myReviews: CommandDefinition = {
  name: 'myReviews',
  phrases: ['my reviews', 'what do i need to review', 'what do i need to review?'],
  usage: 'my reviews',
  help: { group: 'Decide', text: 'the reviews where you have items to decide, most urgent first' },
  scopes: ['personal'],
  signIn: 'user',
  menu: 'What do I need to review?',
  run: { kind: 'feature', feature: (deps) => myReviewsFeature(deps.reviewing) },
};
