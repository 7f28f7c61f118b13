import type { Activity, ConversationReference } from 'botbuilder';
import { systemClock } from '../../../bot/clock';
import {
  DEFAULT_LIMITS, maxRequestsInWindow, TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS, type WindowLimit,
} from '../../../bot/proactive/limits';
import { ProactiveSender } from '../../../bot/proactive/sender';
import { activityIn, capturingLogger, channelId, memoryConversations, turnIn } from './support';
import { maxInWindow } from '../../support/connectorLimits';


describe('the default buckets against Teams\' limits', () => {
  it.each(TEAMS_CONVERSATION_LIMITS.map((limit) => [limit.windowMs, limit]))('per conversation, %i ms window', (_ms, limit: WindowLimit) => {
    expect(maxRequestsInWindow(DEFAULT_LIMITS.conversation, limit.windowMs, true)).toBeLessThanOrEqual(limit.max);
  });

  it.each(TEAMS_TENANT_LIMITS.map((limit) => [limit.windowMs, limit]))('per tenant, %i ms window (with a fifth to spare)', (_ms, limit: WindowLimit) => {
    expect(maxRequestsInWindow(DEFAULT_LIMITS.tenant, limit.windowMs, false)).toBeLessThanOrEqual(limit.max * 0.8);
  });
});

describe('ProactiveSender rates (fake timers)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-01-05T09:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('keeps a burst to one conversation and 100 conversations due at once within every Teams window', async () => {
    const { conversations } = memoryConversations();
    for (let n = 0; n <= 100; n++) await conversations.remember(turnIn(activityIn(channelId(n))), 'channel');
    const sent: Array<{ conversationId: string; at: number }> = [];
    let ids = 0;
    const connector = {
      send: (reference: Partial<ConversationReference>, _activity: Partial<Activity>): Promise<string> => {
        sent.push({ conversationId: reference.conversation?.id ?? '', at: Date.now() });
        return Promise.resolve(`a-${++ids}`);
      },
      update: (): Promise<void> => Promise.resolve(),
    };
    const sender = new ProactiveSender({ connector, conversations, log: capturingLogger().log, clock: systemClock });
    const posts = [
      ...Array.from({ length: 30 }, () => sender.post(channelId(0), { type: 'message' })),
      ...Array.from({ length: 100 }, (_, n) => sender.post(channelId(n + 1), { type: 'message' })),
    ];
    let settled = false;
    const all = Promise.all(posts).finally(() => { settled = true; });
    for (let step = 0; step < 2000 && !settled; step++) await jest.advanceTimersByTimeAsync(50);
    const results = await all;

    expect(new Set(results.map((result) => result.activityId)).size).toBe(130);
    const times = sent.map((send) => send.at).sort((a, b) => a - b);
    for (const limit of TEAMS_TENANT_LIMITS) expect(maxInWindow(times, limit.windowMs)).toBeLessThanOrEqual(limit.max);
    const burst = sent.filter((send) => send.conversationId === channelId(0)).map((send) => send.at);
    expect(burst).toHaveLength(30);
    for (const limit of TEAMS_CONVERSATION_LIMITS) expect(maxInWindow(burst, limit.windowMs)).toBeLessThanOrEqual(limit.max);
    // 100 conversations (one post each) within a few seconds; the burst of 30 at one post per 2.5 s after the first 5.
    const start = Date.parse('2026-01-05T09:00:00Z');
    const hundredDone = Math.max(...sent.filter((send) => send.conversationId !== channelId(0)).map((send) => send.at)) - start;
    expect(hundredDone).toBeLessThan(6_000);
    expect((burst.at(-1) ?? 0) - start).toBeGreaterThanOrEqual(25 * 2_500 - 300);
  }, 30_000);
});
