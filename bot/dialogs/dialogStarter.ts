import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from './dialogLib';
import { ROOT_DIALOG } from './dialogIds';
import type { RootDialog, RootOptions } from './rootDialog';

/**
 * Starts a dialog from a card button's invoke (e.g. "Change a setting" on a confirmation card), through the
 * root dialog like every other conversation; whatever dialog was waiting is cancelled first.
 */
export class DialogStarter {
  constructor(private readonly root: RootDialog, private readonly dialogState: StatePropertyAccessor<DialogState>) {}

  async start(turn: TurnContext, dialogId: string, options: object): Promise<void> {
    const dialogs = new DialogSet(this.dialogState);
    dialogs.add(this.root);
    const dc = await dialogs.createContext(turn);
    await dc.cancelAllDialogs();
    await dc.beginDialog(ROOT_DIALOG, { begin: { dialogId, options } } satisfies RootOptions);
  }
}
