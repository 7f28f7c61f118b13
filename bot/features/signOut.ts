import type { SignOut } from '../commands/command';
import type { Feature } from './feature';

/** `sign out`: forgets the user's tokens (the next command signs in again, silently in Teams). */
export const signOutFeature = (signOut: SignOut): Feature => ({
  async run(context) {
    await signOut(context.turn, context.userId);
    return { text: 'You are signed out. The next command that needs Microsoft Graph will sign you in again.' };
  },
});
