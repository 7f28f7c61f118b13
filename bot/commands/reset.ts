import { REVIEW_RESET } from '../../cards/verbs';
import { adminFeature } from '../features/reviewAdmin';
import type { CommandDefinition } from './command';

/**
 * `reset <review>`: Graph's `resetDecisions` on the current run, after a confirmation card that says how many recorded
 * decisions will be cleared. Only while the run is in progress.
 * Acts with the asker's own token; the confirmation belongs to the asker, in this conversation (confirm-then-act).
 */
export const reset: CommandDefinition = {
  name: 'reset',
  phrases: ['reset'],
  usage: 'reset <review>',
  help: { group: 'Manage', text: 'clear the decisions of the current run (asks first)' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => adminFeature('reset', deps.adminActions) },
  verbs: [REVIEW_RESET],
};
