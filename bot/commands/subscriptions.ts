import { subscriptionsFeature } from '../features/digestSubscriptions';
import type { CommandDefinition } from './command';

/** `subscriptions`: this channel's scheduled digests, who set each up and when. */
export const subscriptions: CommandDefinition = {
  name: 'subscriptions',
  phrases: ['subscriptions'],
  usage: 'subscriptions',
  help: { group: 'Channel digests', text: "list this channel's scheduled summaries" },
  scopes: ['channel'],
  signIn: 'none',
  run: { kind: 'feature', feature: (deps) => subscriptionsFeature(deps.digests) },
};
