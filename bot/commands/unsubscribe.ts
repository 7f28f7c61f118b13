import { unsubscribeFeature } from '../features/digestSubscriptions';
import type { CommandDefinition } from './command';

/** `unsubscribe <review|all>`: stops one of this channel's digests (its creator only). */
export const unsubscribe: CommandDefinition = {
  name: 'unsubscribe',
  phrases: ['unsubscribe'],
  usage: 'unsubscribe <review|all>',
  help: { group: 'Channel digests', text: 'stop a scheduled summary' },
  scopes: ['channel'],
  signIn: 'none',
  run: { kind: 'feature', feature: (deps) => unsubscribeFeature(deps.digests) },
};
