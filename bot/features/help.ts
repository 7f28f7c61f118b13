import { renderHelpCard, type HelpGroupData } from '../../cards';
import type { Scope } from '../turn';
import type { Feature } from './feature';

/**
 * `help`: the commands available where the user asked, as a card with buttons. The rows come from the command
 * catalogue (only what this version really does, in this scope).
 */
export function helpFeature(helpGroups: (scope: Scope) => HelpGroupData[]): Feature {
  // The card depends on the scope only: render it once per scope (templating is the costly part of a help turn).
  const cards = new Map<Scope, Record<string, unknown>>();
  return {
    run: (context) => {
      const card = cards.get(context.scope) ?? renderHelpCard({ scope: context.scope, groups: helpGroups(context.scope) });
      cards.set(context.scope, card);
      return Promise.resolve({ card });
    },
  };
}
