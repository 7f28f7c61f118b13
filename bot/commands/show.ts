import { REVIEW_SHOW } from '../../cards/verbs';
import { showFeature } from '../features/show';
import type { CommandDefinition } from './command';

export const show: CommandDefinition = {
  name: 'show',
  phrases: ['show'],
  usage: 'show <review>',
  help: { group: 'Read', text: 'settings and runs of one review', inScope: { channel: "settings and runs of one of this team's reviews" } },
  // A group chat has no group of its own: like `reviews`, nothing to show there (the catalogue says where it works).
  scopes: ['personal', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: () => showFeature() },
  verbs: [REVIEW_SHOW],
};
