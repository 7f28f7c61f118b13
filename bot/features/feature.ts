import type { Client } from '@microsoft/microsoft-graph-client';
import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Scope } from '../commands/commands';

/** What a feature gets for one request: the turn, where it happens, who asks, the arguments, and Graph as that user. */
export interface FeatureContext {
  turn: TurnContext;
  scope: Scope;
  /** The Entra object id of the user who asked (the activity's sender). */
  userId: string;
  args: string;
  /** A Graph client with the asking user's own token (throws SignInRequired when there is none). */
  graph(): Promise<Client>;
}

/** A reply: an Adaptive Card (what card buttons get back as their replacement card) or plain text. */
export type FeatureReply = { card: Record<string, unknown> } | { text: string };

/** One thing the bot does; reachable by a typed command and, where it has a verb, by a card button. */
export interface Feature {
  needsGraph: boolean;
  run(context: FeatureContext): Promise<FeatureReply>;
}

export function replyActivity(reply: FeatureReply): Partial<Activity> {
  return 'card' in reply
    ? { type: 'message', attachments: [CardFactory.adaptiveCard(reply.card)] }
    : { type: 'message', text: reply.text, textFormat: 'markdown' };
}
