import { SIGN_OUT } from '../../cards/verbs';
import { signOutFeature } from '../features/signOut';
import type { CommandDefinition } from './command';

export const signOut: CommandDefinition = {
  name: 'signOut',
  phrases: ['sign out', 'signout', 'log out', 'logout'],
  usage: 'sign out',
  help: { group: 'Account', text: 'forget your sign-in' },
  scopes: ['personal', 'groupChat'],
  signIn: 'none',
  menu: 'Forget your sign-in',
  run: { kind: 'feature', feature: (deps) => signOutFeature(deps.signOut) },
  verbs: [SIGN_OUT],
};
