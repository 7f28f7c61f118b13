import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { fixedClock } from '../../../bot/clock';
import { ConversationStore } from '../../../bot/conversations';
import { createLogger, type Logger } from '../../../bot/logger';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';

export const TENANT = 'tenant-1';
export const TEAM = '19:team-general@thread.tacv2';
export const channelId = (n: number): string => `19:channel-${n}@thread.tacv2`;

/** A Teams-shaped message in a channel of TEAM (or a group chat when `chat`), enough for a conversation reference. */
export function activityIn(conversationId: string, options: { chat?: boolean; teamId?: string } = {}): Partial<Activity> {
  const channelData = options.chat === true ? { tenant: { id: TENANT } }
    : { tenant: { id: TENANT }, team: { id: options.teamId ?? TEAM, name: 'Team' }, channel: { id: conversationId.split(';')[0] } };
  return {
    type: 'message', id: 'm-1', channelId: 'msteams', serviceUrl: 'https://smba.example.test/emea/',
    from: { id: '29:adele', name: 'Adele' }, recipient: { id: '28:bot', name: 'Bot' },
    conversation: { id: conversationId, conversationType: options.chat === true ? 'groupChat' : 'channel', isGroup: true, tenantId: TENANT, name: '' },
    channelData,
  };
}

export const turnIn = (activity: Partial<Activity>): TurnContext => new TurnContext(new TestAdapter(), activity);

/** A ConversationStore on in-memory SQLite at a fixed instant. */
export function memoryConversations(): { conversations: ConversationStore; storage: SqliteStorage } {
  const storage = new SqliteStorage(':memory:');
  return { conversations: new ConversationStore(storage, fixedClock(Date.parse('2026-01-05T09:00:00Z'))), storage };
}

/** A logger whose JSON lines are kept in `lines`. */
export function capturingLogger(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('debug', { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
  return { log, lines };
}

/** An error shaped as botbuilder's connector client throws it (a RestError: statusCode, code, response headers). */
export function connectorError(statusCode: number | undefined, options: { code?: string; retryAfter?: string } = {}): Error {
  const headers = new Map<string, string>(options.retryAfter === undefined ? [] : [['retry-after', options.retryAfter]]);
  return Object.assign(new Error(`connector ${statusCode ?? options.code ?? ''}`), {
    name: 'RestError', statusCode, code: options.code,
    response: statusCode === undefined ? undefined : { status: statusCode, headers: { get: (name: string) => headers.get(name.toLowerCase()) } },
  });
}
