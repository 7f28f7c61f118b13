import { MANIFEST_SCOPES, menuFor } from '../bot/commands';

/** The bot's command menu per manifest scope, from the command catalogue (never written by hand). */
export const commandLists = (): Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }> =>
  MANIFEST_SCOPES.map(({ manifest, scope }) => ({ scopes: [manifest], commands: menuFor(scope) }));
