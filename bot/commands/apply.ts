import { REVIEW_APPLY } from '../../cards/verbs';
import { adminFeature } from '../features/reviewAdmin';
import type { CommandDefinition } from './command';

/**
 * `apply <review>`: Graph's `applyDecisions` on the current run, after a confirmation card that says how many denied
 * members will be removed. Only on a completed run of a review without auto-apply.
 * Acts with the asker's own token; the confirmation belongs to the asker, in this conversation (confirm-then-act).
 */
export const apply: CommandDefinition = {
  name: 'apply',
  phrases: ['apply'],
  usage: 'apply <review>',
  help: { group: 'Manage', text: 'apply the decisions of a finished run (asks first)' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => adminFeature('apply', deps.adminActions) },
  verbs: [REVIEW_APPLY],
};
