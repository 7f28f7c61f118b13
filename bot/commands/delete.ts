import { REVIEW_DELETE } from '../../cards/verbs';
import { adminFeature } from '../features/reviewAdmin';
import type { CommandDefinition } from './command';

/**
 * `delete <review>`: deletes the whole definition with its runs and decisions, after a confirmation card that says
 * how many runs go with it.
 * Acts with the asker's own token; the confirmation belongs to the asker, in this conversation (confirm-then-act).
 */
export const deleteReview: CommandDefinition = {
  name: 'delete',
  phrases: ['delete'],
  usage: 'delete <review>',
  help: { group: 'Manage', text: 'delete the review and its history (asks first)' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => adminFeature('delete', deps.adminActions) },
  verbs: [REVIEW_DELETE],
};
