import type { SignInOutcome } from '../auth/ssoService';

/** Per-turn values on `context.turnState` (never on singletons). */
export const SIGN_IN_OUTCOME = Symbol('signInOutcome');
export type { SignInOutcome };
