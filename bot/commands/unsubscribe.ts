import { DIGEST_UNSUBSCRIBE } from '../../cards/verbs';
import { unsubscribeFeature } from '../features/digestSubscriptions';
import type { CommandDefinition } from './command';

/**
 * `unsubscribe <review|all>`: stops one of this channel's digests (its creator, or an administrator). Signs in: anyone
 * but the creator is checked for an administrator role with their own token.
 */
export const unsubscribe: CommandDefinition = {
  name: 'unsubscribe',
  phrases: ['unsubscribe'],
  usage: 'unsubscribe <review|all>',
  help: { group: 'Channel digests', text: 'stop a scheduled summary' },
  scopes: ['channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => unsubscribeFeature(deps.digests) },
  verbs: [DIGEST_UNSUBSCRIBE],
};
