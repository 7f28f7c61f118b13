import type { TokenProvider } from '../auth/tokenProvider';
import type { Feature } from './feature';

/** `sign out`: forgets the user's tokens (the next command signs in again, silently in Teams). */
export const signOutFeature = (tokens: TokenProvider): Feature => ({
  async run(context) {
    await tokens.signOut(context.userId);
    return { text: 'You are signed out. The next command that needs Microsoft Graph will sign you in again.' };
  },
});
