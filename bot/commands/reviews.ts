import { REVIEW_DECISIONS, REVIEW_SHOW, REVIEWS_LIST } from '../../cards/verbs';
import { reviewsFeature } from '../features/reviews';
import type { CommandDefinition } from './command';

export const reviews: CommandDefinition = {
  name: 'reviews',
  phrases: ['reviews', 'list reviews'],
  usage: 'reviews [active|completed|all]',
  help: { group: 'Read', text: 'list access reviews, 10 at a time' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  menu: 'List access reviews: reviews [active|completed|all]',
  run: { kind: 'feature', feature: (deps) => reviewsFeature((name, scope, text) => deps.suggesting(name, scope, text), [
    { command: 'show', verb: REVIEW_SHOW, title: 'Details' }, { command: 'decisions', verb: REVIEW_DECISIONS, title: 'Decisions' },
  ]) },
  verbs: [REVIEWS_LIST],
};
