import { renderHelpCard } from '../../cards';
import type { Feature } from './feature';

/** `help`: the commands available where the user asked, as a card with buttons. */
export const helpFeature: Feature = {
  needsGraph: false,
  run: (context) => Promise.resolve({ card: renderHelpCard({ scope: context.scope }) }),
};
