import type { Activity, ConversationReference } from 'botbuilder';
import { fixedClock } from '../../../bot/clock';
import type { ProactiveConnector } from '../../../bot/proactive/botConnector';
import { isProactiveSendError } from '../../../bot/proactive/connectorFailure';
import { ProactiveSender, type ProactiveSenderDeps } from '../../../bot/proactive/sender';
import { activityIn, capturingLogger, channelId, connectorError, memoryConversations, turnIn } from './support';

/** Unit tests of the sender's retries and failures against a scripted fake connector; waits are recorded, not slept. */

type Step = string | Error;

/** A connector answering each call with the next step (an id, or an error to throw). */
function scriptedConnector(steps: Step[]): ProactiveConnector & { sends: Array<{ conversationId: string; text: unknown }>; updates: string[] } {
  const next = (): string => {
    const step = steps.shift();
    if (step === undefined) throw new Error('no more scripted answers');
    if (step instanceof Error) throw step;
    return step;
  };
  const connector = {
    sends: [] as Array<{ conversationId: string; text: unknown }>,
    updates: [] as string[],
    send: (reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string> => {
      connector.sends.push({ conversationId: reference.conversation?.id ?? '', text: activity.text });
      return Promise.resolve().then(next);
    },
    update: (_reference: Partial<ConversationReference>, activityId: string): Promise<void> => {
      connector.updates.push(activityId);
      return Promise.resolve().then(() => { next(); });
    },
  };
  return connector;
}

async function setup(steps: Step[], options: Partial<ProactiveSenderDeps> = {}) {
  const { conversations } = memoryConversations();
  await conversations.remember(turnIn(activityIn(channelId(1))), 'channel');
  await conversations.remember(turnIn(activityIn(channelId(2))), 'channel');
  const connector = scriptedConnector(steps);
  const { log, lines } = capturingLogger();
  const waits: number[] = [];
  const sender = new ProactiveSender({
    connector, conversations, log, clock: fixedClock(Date.parse('2026-01-05T09:00:00Z')),
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    // Buckets too big to matter here: limits.test.ts covers the rates.
    limits: { conversation: { burst: 100, refillAmount: 100, refillEveryMs: 1000 }, tenant: { burst: 100, refillAmount: 100, refillEveryMs: 1000 } },
    ...options,
  });
  return { sender, connector, conversations, lines, waits };
}

describe('ProactiveSender retries', () => {
  it('waits as long as Retry-After says (plus jitter) after a 429, then posts once', async () => {
    const { sender, connector, waits } = await setup([connectorError(429, { retryAfter: '3' }), 'a-1']);
    await expect(sender.post(channelId(1), { type: 'message', text: 'digest' })).resolves.toEqual({ activityId: 'a-1' });
    expect(connector.sends).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(3000);
    expect(waits[0]).toBeLessThanOrEqual(3000 + 600);
  });

  it('reads Retry-After as an HTTP date too', async () => {
    const at = new Date(Date.parse('2026-01-05T09:00:00Z') + 5000).toUTCString();
    const { sender, waits } = await setup([connectorError(429, { retryAfter: at }), 'a-1']);
    await sender.post(channelId(1), { type: 'message' });
    expect(waits[0]).toBeGreaterThanOrEqual(5000);
  });

  it('retries 412 and a 429 without Retry-After with growing backoff, and gives up after maxAttempts', async () => {
    const failures = [connectorError(412), ...Array.from({ length: 5 }, () => connectorError(429))];
    const { sender, connector, waits, lines } = await setup(failures);
    const error: unknown = await sender.post(channelId(1), { type: 'message' }).catch((caught: unknown) => caught);
    expect(isProactiveSendError(error, 'retriesExhausted')).toBe(true);
    expect(connector.sends).toHaveLength(6);
    expect(waits).toEqual([750, 1500, 3000, 6000, 12000]);
    expect(lines.filter((line) => line.msg === 'proactive post still failing after retries; given up')).toHaveLength(1);
  });

  it('fails at once when Teams asks for a longer wait than the sender holds a conversation', async () => {
    const { sender, connector } = await setup([connectorError(429, { retryAfter: '3600' })]);
    await expect(sender.post(channelId(1), { type: 'message' })).rejects.toMatchObject({ reason: 'retriesExhausted' });
    expect(connector.sends).toHaveLength(1);
  });

  it.each([
    ['502', connectorError(502)], ['504', connectorError(504)], ['a reset after sending', connectorError(undefined, { code: 'ECONNRESET' })],
    ['a timeout', connectorError(undefined, { code: 'ETIMEDOUT' })],
  ])('never posts again after %s on a POST, which may have reached Teams', async (_name, failure) => {
    const { sender, connector, lines } = await setup([failure, 'never']);
    await expect(sender.post(channelId(1), { type: 'message' })).rejects.toMatchObject({ reason: 'unconfirmed' });
    expect(connector.sends).toHaveLength(1);
    expect(lines.some((line) => line.msg === 'proactive post may or may not have reached Teams; not sent again')).toBe(true);
  });

  it('posts again when the request never left (connection refused)', async () => {
    const { sender, connector } = await setup([connectorError(undefined, { code: 'ECONNREFUSED' }), 'a-1']);
    await expect(sender.post(channelId(1), { type: 'message' })).resolves.toEqual({ activityId: 'a-1' });
    expect(connector.sends).toHaveLength(2);
  });

  it('retries 502, 504 and resets on an update (a PUT is idempotent)', async () => {
    const { sender, connector } = await setup([connectorError(502), connectorError(504), connectorError(undefined, { code: 'ECONNRESET' }), 'ok']);
    await sender.update(channelId(1), 'a-9', { type: 'message' });
    expect(connector.updates).toEqual(['a-9', 'a-9', 'a-9', 'a-9']);
  });

  it('does not retry other failures (400, 413)', async () => {
    const { sender, connector } = await setup([connectorError(413, { code: 'MessageSizeTooBig' })]);
    await expect(sender.post(channelId(1), { type: 'message' })).rejects.toMatchObject({ reason: 'rejected', status: 413 });
    expect(connector.sends).toHaveLength(1);
  });
});

describe('ProactiveSender and conversations the bot left', () => {
  it('suspends the conversation on 403, logs it once, and fails queued posts there without calling Teams', async () => {
    const { sender, connector, conversations, lines } = await setup([connectorError(403, { code: 'BotNotInConversationRoster' }), 'other-1']);
    const [first, second, elsewhere] = await Promise.allSettled([
      sender.post(channelId(1), { type: 'message', text: 'one' }),
      sender.post(channelId(1), { type: 'message', text: 'two' }),
      sender.post(channelId(2), { type: 'message', text: 'three' }),
    ]);
    expect(first.status === 'rejected' && isProactiveSendError(first.reason, 'suspended')).toBe(true);
    expect(second.status === 'rejected' && isProactiveSendError(second.reason, 'suspended')).toBe(true);
    expect(elsewhere).toEqual({ status: 'fulfilled', value: { activityId: 'other-1' } });
    expect(connector.sends.map((send) => send.text)).toEqual(['one', 'three']);
    expect((await conversations.get(channelId(1)))?.suspended).toMatchObject({ reason: 'BotNotInConversationRoster', status: 403 });
    expect(lines.filter((line) => String(line.msg).startsWith('conversation suspended'))).toHaveLength(1);
  });

  it('suspends on 404 ConversationNotFound, but an update of a deleted message only fails that update', async () => {
    const { sender, conversations } = await setup([connectorError(404, { code: 'NotFound' }), connectorError(404, { code: 'ConversationNotFound' })]);
    await expect(sender.update(channelId(1), 'gone-1', { type: 'message' })).rejects.toMatchObject({ reason: 'messageGone' });
    expect((await conversations.get(channelId(1)))?.suspended).toBeUndefined();
    await expect(sender.update(channelId(1), 'a-2', { type: 'message' })).rejects.toMatchObject({ reason: 'suspended' });
    expect((await conversations.get(channelId(1)))?.suspended?.status).toBe(404);
  });

  it('refuses a conversation it has no reference for (never installed, or uninstalled)', async () => {
    const { sender, connector } = await setup([]);
    await expect(sender.post('19:unknown@thread.tacv2', { type: 'message' })).rejects.toMatchObject({ reason: 'unknownConversation', code: 'NotFound' });
    expect(connector.sends).toEqual([]);
  });
});

describe('ProactiveSender ordering', () => {
  it('posts to a conversation one at a time, in order: a Retry-After wait holds back the next post there only', async () => {
    let release: () => void = () => undefined;
    const { sender, connector } = await setup([connectorError(429, { retryAfter: '2' }), 'other', 'a-1', 'a-2'], {
      sleep: () => new Promise<void>((resolve) => { release = resolve; }),
    });
    const first = sender.post(channelId(1), { type: 'message', text: 'first' });
    const second = sender.post(channelId(1), { type: 'message', text: 'second' });
    const elsewhere = await sender.post(channelId(2), { type: 'message', text: 'elsewhere' });
    expect(elsewhere).toEqual({ activityId: 'other' });
    expect(connector.sends.map((send) => send.text)).toEqual(['first', 'elsewhere']);
    release();
    await expect(first).resolves.toEqual({ activityId: 'a-1' });
    await expect(second).resolves.toEqual({ activityId: 'a-2' });
    expect(connector.sends.map((send) => send.text)).toEqual(['first', 'elsewhere', 'first', 'second']);
  });

  it('posts a reply thread\'s conversation to its channel', async () => {
    const { sender, connector } = await setup(['a-1']);
    await sender.post(`${channelId(1)};messageid=123`, { type: 'message' });
    expect(connector.sends[0]?.conversationId).toBe(channelId(1));
  });
});
