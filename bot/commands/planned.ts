import type { CommandDefinition, Scope } from './command';

const ALL: readonly Scope[] = ['personal', 'groupChat', 'channel'];
const user = 'user' as const;

/**
 * Commands of the product spec this version does not do yet: the parser knows them and they answer that they
 * are not available yet; help and the command menu leave them out. Implementing one moves it into its own module.
 */
export const PLANNED: readonly CommandDefinition[] = [
  { name: 'show', phrases: ['show'], usage: 'show <review>', help: { group: 'Read', text: 'settings and runs of one review' }, scopes: ALL, signIn: user },
  { name: 'decisions', phrases: ['decisions'], usage: 'decisions <review> [pending|approved|denied|dontknow]',
    help: { group: 'Read', text: 'who decided what in the current run' }, scopes: ['personal'], signIn: user },
  { name: 'summary', phrases: ['summary'], usage: 'summary <review> | all', help: { group: 'Read', text: 'progress and decision counts, or a digest of all active reviews' },
    scopes: ALL, signIn: user },
  { name: 'export', phrases: ['export'], usage: 'export <review>[, <review>...] | all', help: { group: 'Read', text: 'every decision of those reviews as a CSV file' },
    scopes: ['personal'], signIn: user },
  { name: 'edit', phrases: ['edit'], usage: 'edit <review>', help: { group: 'Manage', text: 'change name, descriptions, duration, reminders and decision settings' },
    scopes: ALL, signIn: user },
  { name: 'remind', phrases: ['remind'], usage: 'remind <review>', help: { group: 'Manage', text: 'remind reviewers who have not answered yet' }, scopes: ALL, signIn: user },
  { name: 'stop', phrases: ['stop'], usage: 'stop <review>', help: { group: 'Manage', text: 'end the current run early (asks first)' }, scopes: ALL, signIn: user },
  { name: 'apply', phrases: ['apply'], usage: 'apply <review>', help: { group: 'Manage', text: 'apply the decisions of a finished run (asks first)' }, scopes: ALL, signIn: user },
  { name: 'reset', phrases: ['reset'], usage: 'reset <review>', help: { group: 'Manage', text: 'clear the decisions of the current run (asks first)' }, scopes: ALL, signIn: user },
  { name: 'delete', phrases: ['delete'], usage: 'delete <review>', help: { group: 'Manage', text: 'delete the review and its history (asks first)' }, scopes: ALL, signIn: user },
  { name: 'subscribe', phrases: ['subscribe'], usage: 'subscribe <review|all> daily|weekly [at HH:MM]',
    help: { group: 'Channel digests', text: 'post a summary to this channel on a schedule' }, scopes: ['channel'], signIn: user },
  { name: 'unsubscribe', phrases: ['unsubscribe'], usage: 'unsubscribe <review|all>', help: { group: 'Channel digests', text: 'stop a scheduled summary' },
    scopes: ['channel'], signIn: 'none' },
  { name: 'subscriptions', phrases: ['subscriptions'], usage: 'subscriptions', help: { group: 'Channel digests', text: "list this channel's scheduled summaries" },
    scopes: ['channel'], signIn: 'none' },
];
