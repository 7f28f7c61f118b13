import { activityIn, channelId, memoryConversations, TEAM, turnIn } from './support';

/** ConversationStore's lifecycle: references kept per channel, forgotten on uninstall, suspended on 403/404. */
describe('ConversationStore', () => {
  it('keeps a reply thread under its channel, without the thread root, and indexes it under its team', async () => {
    const { conversations } = memoryConversations();
    await conversations.remember(turnIn(activityIn(`${channelId(1)};messageid=1700000000000`)), 'channel');
    const stored = await conversations.get(channelId(1));
    expect(stored?.reference.conversation?.id).toBe(channelId(1));
    expect(stored?.reference.activityId).toBeUndefined();
    expect(stored?.teamId).toBe(TEAM);
    expect(await conversations.get(`${channelId(1)};messageid=42`)).toEqual(stored);
  });

  it('forgets every channel of a team when the app is removed from it, and nothing of other teams', async () => {
    const { conversations } = memoryConversations();
    for (const n of [1, 2, 3]) await conversations.remember(turnIn(activityIn(channelId(n))), 'channel');
    await conversations.remember(turnIn(activityIn(channelId(9), { teamId: '19:other@thread.tacv2' })), 'channel');
    await conversations.remember(turnIn(activityIn('19:chat@thread.v2', { chat: true })), 'groupChat');
    const removed = await conversations.forgetWhere(turnIn(activityIn(TEAM)));
    expect(removed.sort()).toEqual([channelId(1), channelId(2), channelId(3), TEAM].sort());
    for (const n of [1, 2, 3]) expect(await conversations.get(channelId(n))).toBeUndefined();
    expect(await conversations.get(channelId(9))).toBeDefined();
    expect(await conversations.get('19:chat@thread.v2')).toBeDefined();
    // Teams sends two events per uninstall: the second finds nothing left.
    await conversations.forgetWhere(turnIn(activityIn(TEAM)));
  });

  it('forgets a group chat (and only it) when the app is removed from the chat', async () => {
    const { conversations } = memoryConversations();
    await conversations.remember(turnIn(activityIn('19:chat@thread.v2', { chat: true })), 'groupChat');
    await conversations.remember(turnIn(activityIn(channelId(1))), 'channel');
    expect(await conversations.forgetWhere(turnIn(activityIn('19:chat@thread.v2', { chat: true })))).toEqual(['19:chat@thread.v2']);
    expect(await conversations.get('19:chat@thread.v2')).toBeUndefined();
    expect(await conversations.get(channelId(1))).toBeDefined();
  });

  it('forgets a deleted channel and takes it out of its team\'s index', async () => {
    const { conversations } = memoryConversations();
    await conversations.remember(turnIn(activityIn(channelId(1))), 'channel');
    await conversations.remember(turnIn(activityIn(channelId(2))), 'channel');
    await conversations.forget(channelId(1));
    expect(await conversations.get(channelId(1))).toBeUndefined();
    expect((await conversations.forgetTeam(TEAM)).sort()).toEqual([channelId(2), TEAM].sort());
  });

  it('suspends once (true the first time only); a new turn there lifts the suspension', async () => {
    const { conversations } = memoryConversations();
    await conversations.remember(turnIn(activityIn(channelId(1))), 'channel');
    await expect(conversations.suspend(channelId(1), { reason: 'BotNotInConversationRoster', status: 403 })).resolves.toBe(true);
    await expect(conversations.suspend(channelId(1), { reason: 'BotNotInConversationRoster', status: 403 })).resolves.toBe(false);
    expect((await conversations.get(channelId(1)))?.suspended).toEqual({ reason: 'BotNotInConversationRoster', status: 403, at: '2026-01-05T09:00:00.000Z' });
    await expect(conversations.suspend('19:unknown@thread.tacv2', { reason: 'x' })).resolves.toBe(false);
    await conversations.remember(turnIn(activityIn(channelId(1))), 'channel');
    expect((await conversations.get(channelId(1)))?.suspended).toBeUndefined();
  });

  it('an install lifts a suspension written by another process (forced write)', async () => {
    const { conversations, storage } = memoryConversations();
    await conversations.remember(turnIn(activityIn(channelId(1))), 'channel');
    const key = `conversations/${channelId(1)}`;
    const item = (await storage.read([key]))[key] as Record<string, unknown>;
    await storage.write({ [key]: { ...item, suspended: { reason: 'elsewhere', status: 403, at: 'x' } } });
    await conversations.remember(turnIn(activityIn(channelId(1))), 'channel');
    expect((await conversations.get(channelId(1)))?.suspended).toBeDefined();
    await conversations.remember(turnIn(activityIn(channelId(1))), 'channel', { force: true });
    expect((await conversations.get(channelId(1)))?.suspended).toBeUndefined();
  });
});
