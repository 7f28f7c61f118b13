import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Scope } from '../turn';
import type { GraphApis } from '../graph/apis';

/** What a feature gets for one request: the turn, where it happens, who asks, the arguments, and Graph as that user. */
export interface FeatureContext {
  turn: TurnContext;
  scope: Scope;
  /** The Entra object id of the user who asked (the activity's sender). */
  userId: string;
  args: string;
  /** Graph as the asking user, with their own token (each call throws SignInRequired when there is none). */
  graph: GraphApis;
  /** In a team channel, the team's Microsoft 365 group ("this team"), when known. */
  teamGroupId?: string;
}

/** A reply: an Adaptive Card (what card buttons get back as their replacement card) or plain text. */
export type FeatureReply = { card: Record<string, unknown> } | { text: string };

/**
 * One thing the bot does; reachable by a typed command and, where it has a verb, by a card button. Whether it
 * needs the user's sign-in is its command's `signIn` (bot/commands).
 */
export interface Feature {
  run(context: FeatureContext): Promise<FeatureReply>;
}

export function replyActivity(reply: FeatureReply): Partial<Activity> {
  return 'card' in reply
    ? { type: 'message', attachments: [CardFactory.adaptiveCard(reply.card)] }
    : { type: 'message', text: reply.text, textFormat: 'markdown' };
}
