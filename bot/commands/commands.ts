/** The bot's commands (product spec, "Commands"): names, the words that invoke them, where they apply. */
export type CommandName =
  | 'help' | 'createReview' | 'quickCreate' | 'reviews' | 'show' | 'decisions' | 'stop' | 'remind' | 'apply'
  | 'reset' | 'delete' | 'export' | 'edit' | 'summary' | 'subscribe' | 'unsubscribe' | 'subscriptions' | 'signOut';

export type Scope = 'personal' | 'groupChat' | 'channel';

export interface CommandSpec {
  name: CommandName;
  /** Lower-case phrases that start the command, longest first when they share words. */
  phrases: readonly string[];
  /** Calls Microsoft Graph with the user's token, so it needs sign-in. */
  needsGraph: boolean;
  scopes: readonly Scope[];
}

const ALL: readonly Scope[] = ['personal', 'groupChat', 'channel'];

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', phrases: ['help', '?'], needsGraph: false, scopes: ALL },
  { name: 'createReview', phrases: ['create review', 'new review'], needsGraph: true, scopes: ALL },
  { name: 'reviews', phrases: ['reviews', 'list reviews'], needsGraph: true, scopes: ALL },
  { name: 'quickCreate', phrases: ['review'], needsGraph: true, scopes: ALL },
  { name: 'show', phrases: ['show'], needsGraph: true, scopes: ALL },
  { name: 'decisions', phrases: ['decisions'], needsGraph: true, scopes: ALL },
  { name: 'stop', phrases: ['stop'], needsGraph: true, scopes: ALL },
  { name: 'remind', phrases: ['remind'], needsGraph: true, scopes: ALL },
  { name: 'apply', phrases: ['apply'], needsGraph: true, scopes: ALL },
  { name: 'reset', phrases: ['reset'], needsGraph: true, scopes: ALL },
  { name: 'delete', phrases: ['delete'], needsGraph: true, scopes: ALL },
  { name: 'export', phrases: ['export'], needsGraph: true, scopes: ['personal'] },
  { name: 'edit', phrases: ['edit'], needsGraph: true, scopes: ALL },
  { name: 'summary', phrases: ['summary'], needsGraph: true, scopes: ALL },
  { name: 'subscribe', phrases: ['subscribe'], needsGraph: true, scopes: ['channel'] },
  { name: 'unsubscribe', phrases: ['unsubscribe'], needsGraph: false, scopes: ['channel'] },
  { name: 'subscriptions', phrases: ['subscriptions'], needsGraph: false, scopes: ['channel'] },
  { name: 'signOut', phrases: ['sign out', 'signout', 'log out', 'logout'], needsGraph: false, scopes: ['personal', 'groupChat'] },
];

export const commandSpec = (name: CommandName): CommandSpec => {
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw new Error(`Unknown command ${name}`);
  return spec;
};
