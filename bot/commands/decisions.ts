import { REVIEW_DECISIONS } from '../../cards/verbs';
import { decisionsFeature } from '../features/decisions';
import type { CommandDefinition } from './command';

export const decisions: CommandDefinition = {
  name: 'decisions',
  phrases: ['decisions'],
  usage: 'decisions <review> [pending|approved|denied|dontknow]',
  help: { group: 'Read', text: 'who decided what in the current run, 10 at a time' },
  // Per-principal decisions and justifications stay in personal chat (product spec): nowhere else.
  scopes: ['personal'],
  signIn: 'user',
  run: { kind: 'feature', feature: () => decisionsFeature() },
  verbs: [REVIEW_DECISIONS],
};
