import { editFeature } from '../features/edit';
import type { CommandDefinition } from './command';

/**
 * `edit <review> <changes>`: changes the name, descriptions, duration, end of the series, reminders and mail,
 * justification, recommendations, default decision or auto-apply of a review (grammar: ./editGrammar.ts), after a
 * confirmation card showing each change as before → after; saved by a PUT of the whole definition.
 * Acts with the asker's own token; the confirmation belongs to the asker, in this conversation (confirm-then-act).
 */
export const edit: CommandDefinition = {
  name: 'edit',
  phrases: ['edit'],
  usage: 'edit <review> <changes>',
  help: { group: 'Manage', text: 'change name, descriptions, duration, end, reminders and decision settings (asks first)' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => editFeature(deps.edit) },
};
