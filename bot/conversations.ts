import { TurnContext, type ConversationReference } from 'botbuilder';
import { isoNow, type Clock } from './clock';
import type { KeyValueStore } from './storage/keyValueStore';
import { teamsContextOf, type Scope } from './turn';

/** Where the bot can post later (digests): the conversation reference and its Teams context. */
export interface StoredConversation {
  reference: Partial<ConversationReference>;
  scope: Scope;
  tenantId: string | undefined;
  teamId: string | undefined;
  aadGroupId: string | undefined;
  updatedAt: string;
}

/** Keeps a conversation reference per conversation, written when it is new or changed (not on every turn). */
export class ConversationStore {
  private readonly known = new Map<string, string>();

  constructor(private readonly store: KeyValueStore, private readonly clock: Clock) {}

  private static key(conversationId: string): string {
    return `conversations/${conversationId}`;
  }

  async remember(turn: TurnContext, scope: Scope): Promise<void> {
    const reference = TurnContext.getConversationReference(turn.activity);
    const conversationId = reference.conversation?.id;
    if (!conversationId) return;
    const teams = teamsContextOf(turn);
    const fingerprint = `${reference.serviceUrl ?? ''}|${teams.teamId ?? ''}`;
    if (this.known.get(conversationId) === fingerprint) return;
    const item: StoredConversation = { reference, scope, ...teams, updatedAt: isoNow(this.clock) };
    await this.store.write({ [ConversationStore.key(conversationId)]: { ...item, eTag: '*' } });
    this.known.set(conversationId, fingerprint);
  }

  async get(conversationId: string): Promise<StoredConversation | undefined> {
    const key = ConversationStore.key(conversationId);
    const items = await this.store.read([key]);
    return items[key] as StoredConversation | undefined;
  }
}
