import type { Feature } from './feature';

/** Commands of the product spec this version does not do yet: said plainly, nothing pretended. */
export const notYetFeature = (command: string): Feature => ({
  run: () => Promise.resolve({ text: `\`${command}\` is not available in this version yet. Type \`help\` to see what I can do now.` }),
});
