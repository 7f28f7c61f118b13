import { CREATE_REVIEW_DIALOG } from '../dialogs/dialogIds';
import type { CommandDefinition } from './command';

export const createReview: CommandDefinition = {
  name: 'createReview',
  phrases: ['create review', 'new review'],
  usage: 'create review',
  help: { group: 'Create', text: 'start the step-by-step creation wizard (also: new review)' },
  scopes: ['personal', 'groupChat', 'channel'],
  signIn: 'user',
  menu: 'Start the step-by-step wizard to create an access review',
  run: { kind: 'dialog', dialogId: CREATE_REVIEW_DIALOG },
};
