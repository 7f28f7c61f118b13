import type { TurnContext } from 'botbuilder';
import type { ConversationScope } from '../cards';
import type { Actor } from './pending/pendingActions';

/**
 * What the bot reads from a turn about where it happens and who acts, in one place (every other module asks
 * these helpers rather than the activity's fields).
 */

/** Where a turn happens (and where a command may run): Teams' conversation types. */
export type Scope = ConversationScope;

/** Where a turn happens, from Teams' conversationType. */
export function scopeOf(turn: TurnContext): Scope {
  const type = turn.activity.conversation?.conversationType;
  return type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
}

/** The Entra object id of the sender (Teams sets it; the Bot Framework token vouches for the activity). */
export const userIdOf = (turn: TurnContext): string => turn.activity.from?.aadObjectId ?? '';

/** Who acts in this turn and where (the pending-action rules compare both). */
export const actorOf = (turn: TurnContext): Actor => ({ userId: userIdOf(turn), conversationId: turn.activity.conversation?.id ?? '' });

/** The Teams context of the turn's conversation: its tenant, and the team (with its group, when Teams sent it). */
export interface TeamsContext {
  tenantId: string | undefined;
  teamId: string | undefined;
  aadGroupId: string | undefined;
}

interface TeamsChannelData {
  tenant?: { id?: unknown };
  team?: { id?: unknown; aadGroupId?: unknown };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function teamsContextOf(turn: TurnContext): TeamsContext {
  const channelData = (turn.activity.channelData ?? {}) as TeamsChannelData;
  return {
    tenantId: text(channelData.tenant?.id) ?? text(turn.activity.conversation?.tenantId),
    teamId: text(channelData.team?.id),
    aadGroupId: text(channelData.team?.aadGroupId),
  };
}
