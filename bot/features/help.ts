import { HELP_COMMANDS, renderHelpCard } from '../../cards';
import { parseCommand } from '../commands/commandParser';
import type { CommandName } from '../commands/commands';
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
  return {
    needsGraph: false,
    run: (context) => Promise.resolve({ card: renderHelpCard({ scope: context.scope, commands }) }),
  };
}
