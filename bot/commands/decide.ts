import { REVIEWER_DECIDE } from '../../cards/verbs';
import { decideFeature } from '../features/decide';
import type { CommandDefinition } from './command';

/** `decide <review>`: the reviewer's decision card (personal chat; their own token); its buttons replay it. */
export const decide: CommandDefinition = {
  name: 'decide',
  phrases: ['decide'],
  usage: 'decide <review>',
  help: { group: 'Decide', text: 'approve or deny your items of a review, 10 at a time, then submit' },
  scopes: ['personal'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => decideFeature(deps.reviewing) },
  verbs: [REVIEWER_DECIDE],
};
