import { DIGEST_SUBSCRIBE } from '../../cards/verbs';
import { subscribeFeature } from '../features/digestSubscriptions';
import type { CommandDefinition } from './command';

/** `subscribe <review|all> daily|weekly [on <weekday>] [at HH:MM]`: a scheduled digest in this channel (bot/digests). */
export const subscribe: CommandDefinition = {
  name: 'subscribe',
  phrases: ['subscribe'],
  usage: 'subscribe <review|all> daily|weekly [on <weekday>] [at HH:MM]',
  help: { group: 'Channel digests', text: 'post a summary to this channel on a schedule (your time zone)' },
  scopes: ['channel'],
  signIn: 'user',
  run: { kind: 'feature', feature: (deps) => subscribeFeature(deps.digests) },
  // A channel has no bot SSO: the Continue as me card replays `subscribe …` through this verb, as the presser.
  verbs: [DIGEST_SUBSCRIBE],
};
