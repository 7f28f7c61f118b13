import type { CommandDefinition } from './command';

const user = 'user' as const;

/**
 * Commands of the product spec this version does not do yet: the parser knows them and they answer that they
 * are not available yet; help and the command menu leave them out. Implementing one moves it into its own module.
 */
export const PLANNED: readonly CommandDefinition[] = [
  { name: 'subscribe', phrases: ['subscribe'], usage: 'subscribe <review|all> daily|weekly [at HH:MM]',
    help: { group: 'Channel digests', text: 'post a summary to this channel on a schedule' }, scopes: ['channel'], signIn: user },
  { name: 'unsubscribe', phrases: ['unsubscribe'], usage: 'unsubscribe <review|all>', help: { group: 'Channel digests', text: 'stop a scheduled summary' },
    scopes: ['channel'], signIn: 'none' },
  { name: 'subscriptions', phrases: ['subscriptions'], usage: 'subscriptions', help: { group: 'Channel digests', text: "list this channel's scheduled summaries" },
    scopes: ['channel'], signIn: 'none' },
];
