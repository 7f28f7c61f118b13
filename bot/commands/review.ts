import { QUICK_CREATE_DIALOG } from '../dialogs/dialogIds';
import type { CommandDefinition } from './command';

/** Quick create: one line (grammar in ./quickCreate.ts) → the confirmation card. */
export const review: CommandDefinition = {
  name: 'quickCreate',
  phrases: ['review'],
  usage: 'review <target> [options]',
  help: {
    group: 'Create', text: 'create in one line, e.g. review "Sales Team" guests quarterly',
    // `this team` means the team of the channel: the example only works there.
    inScope: { channel: 'create in one line, e.g. review this team guests monthly' },
  },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  menu: 'Create a review in one line, e.g. review "Sales Team" guests quarterly by owners',
  run: { kind: 'dialog', dialogId: QUICK_CREATE_DIALOG },
};
