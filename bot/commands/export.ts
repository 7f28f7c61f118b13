import { exportFeature } from '../features/export';
import type { CommandDefinition } from './command';

export const exportReviews: CommandDefinition = {
  name: 'export',
  phrases: ['export'],
  usage: 'export <review>[, <review>...] | all',
  help: { group: 'Read', text: 'every decision of those reviews as a CSV file' },
  // Personal chat only: the file lists who was decided what, and why.
  scopes: ['personal'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => exportFeature(deps.exports) },
};
