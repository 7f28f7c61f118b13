import { REVIEW_STOP } from '../../cards/verbs';
import { adminFeature } from '../features/reviewAdmin';
import type { CommandDefinition } from './command';

/**
 * `stop <review>`: ends the review's current run now (Graph's `stop`), after a confirmation card that says how many items are
 * still not reviewed and what happens to them. Only while the run is in progress.
 * Acts with the asker's own token; the confirmation belongs to the asker, in this conversation (confirm-then-act).
 */
export const stop: CommandDefinition = {
  name: 'stop',
  phrases: ['stop'],
  usage: 'stop <review>',
  help: { group: 'Manage', text: 'end the current run early (asks first)' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => adminFeature('stop', deps.adminActions) },
  verbs: [REVIEW_STOP],
};
