/**
 * The parts of botbuilder-dialogs the bot uses, imported from their own modules. The package index also loads
 * every prompt and the Recognizers-Text number/date/choice models (about 40 MB of RSS for nothing here).
 * botbuilder is archived at 4.23.3, so these paths no longer move.
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { Dialog, DialogTurnStatus, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export type { DialogContext, DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { runDialog } from 'botbuilder-dialogs/lib/dialogHelper';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
