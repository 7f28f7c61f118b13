import { HELP_COMMANDS, renderHelpCard } from '../../cards';
import { parseCommand } from '../commands/commandParser';
import type { CommandName, Scope } from '../commands/commands';
import type { Feature } from './feature';

/**
 * `help`: the commands available where the user asked, as a card with buttons. Only commands this version
 * really does are listed (the others answer that they are not available yet).
 */
export function helpFeature(available: ReadonlySet<CommandName>): Feature {
  const commands = HELP_COMMANDS.filter(({ command }) => {
    const parsed = parseCommand(command);
    return parsed.kind === 'command' && available.has(parsed.name);
  }).map(({ command }) => command);
  // The card depends on the scope only: render it once per scope (templating is the costly part of a help turn).
  const cards = new Map<Scope, Record<string, unknown>>();
  return {
    needsGraph: false,
    run: (context) => {
      const card = cards.get(context.scope) ?? renderHelpCard({ scope: context.scope, commands });
      cards.set(context.scope, card);
      return Promise.resolve({ card });
    },
  };
}
