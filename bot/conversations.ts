import { TurnContext, type ConversationReference } from 'botbuilder';
import { isoNow, type Clock } from './clock';
import { AppError, isAppError } from './errors';
import type { KeyValueStore } from './storage/keyValueStore';
import { teamsContextOf, type Scope } from './turn';

/** Why the bot stopped posting to a conversation (the connector answered 403 or 404), and since when. */
export interface Suspension {
  reason: string;
  status: number | undefined;
  at: string;
}

/** Where the bot can post later (digests): the conversation reference and its Teams context. */
export interface StoredConversation {
  reference: Partial<ConversationReference>;
  scope: Scope;
  tenantId: string | undefined;
  teamId: string | undefined;
  aadGroupId: string | undefined;
  updatedAt: string;
  /** Set when posting here failed for good; a scheduler skips (and reports) suspended conversations. */
  suspended?: Suspension;
}

interface TeamIndex { conversationIds: string[] }

/**
 * The conversation a reference is kept under: a channel's (a reply thread, `…@thread.tacv2;messageid=…`, is kept
 * as its channel, where digests go), otherwise the conversation id as it is.
 */
export const conversationKeyOf = (conversationId: string): string => conversationId.split(';messageid=')[0] ?? conversationId;

const WRITE_ATTEMPTS = 4;

/**
 * Keeps a conversation reference per conversation, written when it is new or changed (not on every turn),
 * removed when the app is uninstalled (per team: every channel of it, through a per-team index), and marked
 * suspended when the connector refuses posts there. A turn in a conversation (or a new install) lifts a suspension.
 */
export class ConversationStore {
  private readonly known = new Map<string, string>();

  constructor(private readonly store: KeyValueStore, private readonly clock: Clock) {}

  private static key(conversationId: string): string {
    return `conversations/${conversationKeyOf(conversationId)}`;
  }

  private static teamKey(teamId: string): string {
    return `conversation-teams/${teamId}`;
  }

  /** A user's personal chat with the bot, by their Entra object id (nudges find reviewers' chats through it). */
  private static personalKey(aadObjectId: string): string {
    return `conversations/personal/${aadObjectId.toLowerCase()}`;
  }

  /** Keeps the turn's conversation reference (`force`: write even if this process wrote the same one, e.g. on install). */
  async remember(turn: TurnContext, scope: Scope, options: { force?: boolean } = {}): Promise<void> {
    const full = TurnContext.getConversationReference(turn.activity);
    if (!full.conversation?.id) return;
    const conversationId = conversationKeyOf(full.conversation.id);
    // A thread's reference would answer in that thread and name its root message; digests go to the channel.
    const reference: Partial<ConversationReference> = conversationId === full.conversation.id
      ? full : { ...full, conversation: { ...full.conversation, id: conversationId }, activityId: undefined };
    const teams = teamsContextOf(turn);
    const fingerprint = `${reference.serviceUrl ?? ''}|${teams.teamId ?? ''}`;
    if (options.force !== true && this.known.get(conversationId) === fingerprint) return;
    const item: StoredConversation = { reference, scope, ...teams, updatedAt: isoNow(this.clock) };
    await this.store.write({ [ConversationStore.key(conversationId)]: { ...item, eTag: '*' } });
    if (teams.teamId !== undefined) await this.updateTeamIndex(teams.teamId, (ids) => (ids.includes(conversationId) ? undefined : [...ids, conversationId]));
    // One personal chat per user and bot: the latest one seen wins (a reinstall may bring a new conversation id).
    const userId = scope === 'personal' ? full.user?.aadObjectId : undefined;
    if (userId) await this.store.write({ [ConversationStore.personalKey(userId)]: { conversationId, eTag: '*' } });
    this.known.set(conversationId, fingerprint);
  }

  /**
   * The user's personal chat with the bot (by Entra object id), when the bot has one stored: the index points at the
   * conversation, which must still be stored (uninstalls forget it; the index entry left behind then finds nothing).
   */
  async personalConversationOf(aadObjectId: string): Promise<(StoredConversation & { conversationId: string }) | undefined> {
    const key = ConversationStore.personalKey(aadObjectId);
    const index = (await this.store.read([key]))[key] as { conversationId?: unknown } | undefined;
    if (typeof index?.conversationId !== 'string') return undefined;
    const stored = await this.get(index.conversationId);
    return stored?.scope === 'personal' ? { ...stored, conversationId: index.conversationId } : undefined;
  }

  async get(conversationId: string): Promise<StoredConversation | undefined> {
    const key = ConversationStore.key(conversationId);
    const items = await this.store.read([key]);
    const item = items[key] as (StoredConversation & { eTag?: string }) | undefined;
    if (item === undefined) return undefined;
    const { eTag: _eTag, ...stored } = item;
    return stored;
  }

  /** Forgets one conversation (the app was removed from a chat, a channel was deleted). */
  async forget(conversationId: string): Promise<void> {
    const id = conversationKeyOf(conversationId);
    const stored = await this.get(id);
    await this.store.delete([ConversationStore.key(id)]);
    this.known.delete(id);
    if (stored?.teamId !== undefined) await this.updateTeamIndex(stored.teamId, (ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : undefined));
  }

  /** Forgets every conversation of a team (the app was uninstalled from it, or the team deleted); returns their ids. */
  async forgetTeam(teamId: string): Promise<string[]> {
    const key = ConversationStore.teamKey(teamId);
    const index = (await this.store.read([key]))[key] as TeamIndex | undefined;
    const ids = index?.conversationIds ?? [];
    // The team's own id is its General channel's: forget it even if it never made it into the index.
    const all = [...new Set([...ids, teamId])];
    await this.store.delete([...all.map((id) => ConversationStore.key(id)), key]);
    for (const id of all) this.known.delete(id);
    return all;
  }

  /**
   * The app was removed where this turn happens (installationUpdate 'remove', or the bot among membersRemoved):
   * in a team every channel of it is forgotten, elsewhere this conversation. Teams sends both events: idempotent.
   */
  async forgetWhere(turn: TurnContext): Promise<string[]> {
    const { teamId } = teamsContextOf(turn);
    if (teamId !== undefined) return this.forgetTeam(teamId);
    const conversationId = turn.activity.conversation?.id;
    if (conversationId === undefined || conversationId === '') return [];
    await this.forget(conversationId);
    return [conversationKeyOf(conversationId)];
  }

  /**
   * Marks a conversation suspended (no more posts until a turn there or a new install); true when this call
   * suspended it, false when it already was or is not stored (so a caller logs the suspension once).
   */
  async suspend(conversationId: string, cause: { reason: string; status?: number }): Promise<boolean> {
    const key = ConversationStore.key(conversationId);
    for (let attempt = 1; ; attempt++) {
      const item = (await this.store.read([key]))[key] as (StoredConversation & { eTag?: string }) | undefined;
      if (item === undefined || item.suspended !== undefined) return false;
      const suspended: Suspension = { reason: cause.reason, status: cause.status, at: isoNow(this.clock) };
      try {
        await this.store.write({ [key]: { ...item, suspended } });
        this.known.delete(conversationKeyOf(conversationId));
        return true;
      } catch (error) {
        if (!isAppError(error, 'StorageConflict') || attempt >= WRITE_ATTEMPTS) throw error;
      }
    }
  }

  /** Applies `change` to a team's list of conversation ids (undefined: no change), with eTag retries. */
  private async updateTeamIndex(teamId: string, change: (ids: string[]) => string[] | undefined): Promise<void> {
    const key = ConversationStore.teamKey(teamId);
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const current = (await this.store.read([key]))[key] as (TeamIndex & { eTag?: string }) | undefined;
      const next = change(current?.conversationIds ?? []);
      if (next === undefined) return;
      try {
        // A new index is written only if still absent: two first writers must not drop each other's id.
        if (current === undefined) {
          if (await this.store.writeIfAbsent(key, { conversationIds: next })) return;
          continue;
        }
        await this.store.write({ [key]: { conversationIds: next, eTag: current.eTag } });
        return;
      } catch (error) {
        if (!isAppError(error, 'StorageConflict') || attempt >= WRITE_ATTEMPTS) throw error;
      }
    }
    throw new AppError('StorageConflict', 'The team\'s conversation list kept changing.', { cause: new Error(`team index ${teamId}`) });
  }
}
