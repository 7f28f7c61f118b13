import { HELP } from '../../cards/verbs';
import { helpFeature } from '../features/help';
import type { CommandDefinition } from './command';

export const help: CommandDefinition = {
  name: 'help',
  phrases: ['help', '?'],
  usage: 'help',
  help: { group: 'Account', text: 'this card' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'none',
  menu: 'What the bot can do here, with buttons',
  run: { kind: 'feature', feature: (deps) => helpFeature((scope) => deps.helpGroups(scope)) },
  verbs: [HELP],
};
