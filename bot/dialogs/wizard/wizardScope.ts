import type { ReviewScope } from '../../../reviews/settings';
import type { WizardState } from './wizardState';

/** The review scope the wizard's answers make so far (steps ask in an order where these are set). */
export function scopeOf(state: WizardState): ReviewScope {
  if (state.scopeKind === 'allGroupsGuests') return { kind: 'allGroupsGuests' };
  const group = state.group ?? { id: '', displayName: 'the group' };
  if (state.scopeKind === 'inactive') return { kind: 'inactive', group, inactiveDays: state.inactiveDays ?? 30 };
  return { kind: state.scopeKind === 'guests' ? 'guests' : 'members', group };
}
