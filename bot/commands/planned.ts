import type { CommandDefinition, Scope } from './command';

const ALL: readonly Scope[] = ['personal', 'groupChat', 'channel'];
const user = 'user' as const;

/**
 * Commands of the product spec this version does not do yet: the parser knows them and they answer that they
 * are not available yet; help and the command menu leave them out. Implementing one moves it into its own module.
 */
export const PLANNED: readonly CommandDefinition[] = [
  { name: 'summary', phrases: ['summary'], usage: 'summary <review> | all', help: { group: 'Read', text: 'progress and decision counts, or a digest of all active reviews' },
    scopes: ALL, signIn: user },
  { name: 'subscribe', phrases: ['subscribe'], usage: 'subscribe <review|all> daily|weekly [at HH:MM]',
    help: { group: 'Channel digests', text: 'post a summary to this channel on a schedule' }, scopes: ['channel'], signIn: user },
  { name: 'unsubscribe', phrases: ['unsubscribe'], usage: 'unsubscribe <review|all>', help: { group: 'Channel digests', text: 'stop a scheduled summary' },
    scopes: ['channel'], signIn: 'none' },
  { name: 'subscriptions', phrases: ['subscriptions'], usage: 'subscriptions', help: { group: 'Channel digests', text: "list this channel's scheduled summaries" },
    scopes: ['channel'], signIn: 'none' },
];
