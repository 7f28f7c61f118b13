import type { HelpCommand, HelpGroupData } from '../../cards';
import type { CardVerb } from '../../cards/verbs';
import { HELP_GROUPS, type CommandDefinition, type Scope } from './command';
import { createReview } from './createReview';
import { help } from './help';
import { PLANNED } from './planned';
import { review } from './review';
import { reviews } from './reviews';
import { signOut } from './signOut';
import { show } from './show';
import { decisions } from './decisions';
import { exportReviews } from './export';
import { apply } from './apply';
import { deleteReview } from './delete';
import { remind } from './remind';
import { reset } from './reset';
import { stop } from './stop';
import { edit } from './edit';
import { summary } from './summary';
import { subscribe } from './subscribe';
import { subscriptions } from './subscriptions';
import { unsubscribe } from './unsubscribe';
import { myReviews } from './myReviews';
import { decide } from './decide';

export type { CommandDefinition, CommandDeps, CommandRun, HelpGroup, Scope } from './command';

/**
 * The command catalogue: every command of the bot, one module each (planned ones in ./planned.ts). Nothing else
 * lists commands; the views below are computed from it.
 */
export const COMMANDS: readonly CommandDefinition[] = [help, createReview, review, reviews, show, decisions, signOut, remind, stop, apply, reset, deleteReview, edit, exportReviews, summary, subscribe, unsubscribe, subscriptions, myReviews, decide, ...PLANNED];

const BY_NAME = new Map(COMMANDS.map((command) => [command.name, command]));

/** The command named `name` (a name from the catalogue; anything else is a bug). */
export function commandNamed(name: string): CommandDefinition {
  const command = BY_NAME.get(name);
  if (!command) throw new Error(`No command named ${name}`);
  return command;
}

/** True for a command this version does (the others answer that they are not available yet). */
export const isAvailable = (command: CommandDefinition): boolean => command.run !== undefined;

/** The command a card verb replays, if any. */
export const commandForVerb = (verb: CardVerb): CommandDefinition | undefined => COMMANDS.find((command) => command.verbs?.includes(verb));

/** How a command's scopes read in a sentence: "personal chat with me or group chats". */
export const whereItWorks = (command: CommandDefinition): string =>
  command.scopes.map((scope) => ({ personal: 'personal chat with me', groupChat: 'group chats', channel: 'team channels' })[scope]).join(' or ');

/** A command's help line as said in `scope`. */
export const helpTextIn = (command: CommandDefinition, scope: Scope): string => command.help.inScope?.[scope] ?? command.help.text;

/** True when the command can be run in `scope` by this version: what a card, help or error may suggest there. */
export const worksIn = (command: CommandDefinition, scope: Scope): boolean => isAvailable(command) && command.scopes.includes(scope);

/** `text` when the command it suggests works in `scope` in this version, else undefined (a card never promises one that does not). */
export const suggesting = (name: string, scope: Scope, text: string): string | undefined => (worksIn(commandNamed(name), scope) ? text : undefined);

/** The help card's rows for `scope`: the available commands that work there, by group. */
export function helpGroups(scope: Scope): HelpGroupData[] {
  return HELP_GROUPS.map((group) => ({
    name: group,
    commands: COMMANDS.filter((command) => command.help.group === group && worksIn(command, scope))
      .map((command) => ({ command: command.usage, description: helpTextIn(command, scope) })),
  })).filter((group) => group.commands.length > 0);
}

/** What the welcome card offers in `scope`: the main commands (those with a menu line) that work there. */
export function welcomeCommands(scope: Scope): HelpCommand[] {
  return COMMANDS.filter((command) => command.menu !== undefined && worksIn(command, scope))
    .map((command) => ({ command: command.usage, description: helpTextIn(command, scope) }));
}

/** The manifest's bot scopes and the conversation scope each stands for. */
export const MANIFEST_SCOPES: ReadonlyArray<{ manifest: 'personal' | 'team' | 'groupChat'; scope: Scope }> = [
  { manifest: 'personal', scope: 'personal' }, { manifest: 'team', scope: 'channel' }, { manifest: 'groupChat', scope: 'groupChat' },
];

/** The Teams command menu of one manifest scope: available commands with a menu line that work there (≤ 10). */
export function menuFor(scope: Scope): Array<{ title: string; description: string }> {
  return COMMANDS.filter((command) => isAvailable(command) && command.menu !== undefined && command.scopes.includes(scope))
    .map((command) => ({ title: command.phrases[0] ?? command.name, description: command.menu ?? '' }))
    .slice(0, 10);
}
