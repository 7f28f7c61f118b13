import type { Activity } from 'botbuilder';
import { activityIn, memoryConversations, TENANT, turnIn } from './proactive/support';

/** ConversationStore's personal index: a user's personal chat with the bot, found by their Entra object id (nudges). */
const MEGAN = 'AAAAAAAA-0000-4000-8000-000000000003';

const personal = (conversationId: string, aadObjectId: string | undefined = MEGAN): Partial<Activity> => ({
  type: 'message', id: 'm-1', channelId: 'msteams', serviceUrl: 'https://smba.example.test/emea/',
  from: { id: '29:megan', name: 'Megan', ...(aadObjectId === undefined ? {} : { aadObjectId }) }, recipient: { id: '28:bot', name: 'Bot' },
  conversation: { id: conversationId, conversationType: 'personal', isGroup: false, tenantId: TENANT, name: '' },
  channelData: { tenant: { id: TENANT } },
});

describe('ConversationStore.personalConversationOf', () => {
  it('finds the personal chat a message or install was remembered in, by object id in any case', async () => {
    const { conversations } = memoryConversations();
    expect(await conversations.personalConversationOf(MEGAN)).toBeUndefined();
    await conversations.remember(turnIn(personal('a:chat-megan')), 'personal');
    const found = await conversations.personalConversationOf(MEGAN.toLowerCase());
    expect(found?.conversationId).toBe('a:chat-megan');
    expect(found?.scope).toBe('personal');
    expect(found?.reference.user?.aadObjectId).toBe(MEGAN);
  });

  it('follows a new personal conversation id (the latest remembered wins)', async () => {
    const { conversations } = memoryConversations();
    await conversations.remember(turnIn(personal('a:chat-old')), 'personal');
    await conversations.remember(turnIn(personal('a:chat-new')), 'personal');
    expect((await conversations.personalConversationOf(MEGAN))?.conversationId).toBe('a:chat-new');
  });

  it('finds nothing once the chat is forgotten (app removed), and never a channel or group chat of the user', async () => {
    const { conversations } = memoryConversations();
    await conversations.remember(turnIn(personal('a:chat-megan')), 'personal');
    await conversations.forget('a:chat-megan');
    expect(await conversations.personalConversationOf(MEGAN)).toBeUndefined();

    const inChannel = activityIn('19:channel-1@thread.tacv2');
    await conversations.remember(turnIn({ ...inChannel, from: { id: '29:megan', name: 'Megan', aadObjectId: MEGAN } }), 'channel');
    await conversations.remember(turnIn({ ...activityIn('19:chat@thread.v2', { chat: true }), from: { id: '29:megan', name: 'Megan', aadObjectId: MEGAN } }), 'groupChat');
    expect(await conversations.personalConversationOf(MEGAN)).toBeUndefined();
  });

  it('keeps no index entry for a personal activity without an object id', async () => {
    const { conversations, storage } = memoryConversations();
    await conversations.remember(turnIn(personal('a:chat-anon', undefined)), 'personal');
    expect(await conversations.get('a:chat-anon')).toBeDefined();
    expect(await storage.read(['conversations/personal/undefined', 'conversations/personal/'])).toEqual({});
  });
});
