import { REVIEW_REMIND } from '../../cards/verbs';
import { adminFeature } from '../features/reviewAdmin';
import type { CommandDefinition } from './command';

/**
 * `remind <review>`: Graph's `sendReminder` on the current run, at once (not destructive), answering how many items
 * are still waiting. Only while the run is in progress.
 * Acts with the asker's own token; the confirmation belongs to the asker, in this conversation (confirm-then-act).
 */
export const remind: CommandDefinition = {
  name: 'remind',
  phrases: ['remind'],
  usage: 'remind <review>',
  help: { group: 'Manage', text: 'remind reviewers who have not answered yet' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => adminFeature('remind', deps.adminActions) },
  verbs: [REVIEW_REMIND],
};
