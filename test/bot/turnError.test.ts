import { Writable } from 'node:stream';
import { ConversationState, TestAdapter, type Activity } from 'botbuilder';
import { SqliteStorage } from '../../bot/storage/sqliteStorage';
import { turnErrorHandler } from '../../bot/adapter';
import { AppError } from '../../bot/errors';
import { createLogger } from '../../bot/logger';
import { toAppError } from '../../bot/graph/graphErrors';
import { GraphError } from '@microsoft/microsoft-graph-client';

/** The last-resort handler and the Graph error mapping: what users see and what the logs keep. */
function setup(): { adapter: TestAdapter; storage: SqliteStorage; lines: string[]; state: ConversationState; failedSpans: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  const storage = new SqliteStorage(':memory:');
  const state = new ConversationState(storage);
  const adapter = new TestAdapter(async (turn) => {
    const counter = state.createProperty<number>('counter');
    await counter.set(turn, 1);
    await state.saveChanges(turn);
    throw new AppError('Internal', 'boom', { cause: new Error(`secret text ${turn.activity.text ?? ''}`) });
  });
  const failedSpans: string[] = [];
  adapter.onTurnError = turnErrorHandler(state, createLogger('info', sink), { failActiveSpan: (type) => failedSpans.push(type) });
  return { adapter, storage, lines, state, failedSpans };
}

test('a failing turn: apology with a correlation id, state reset, the code and ids logged', async () => {
  const { adapter, storage, lines, failedSpans } = setup();
  await storage.write({ 'test/conversations/Convo1/': { leftover: true } });
  // processActivity resolves after the whole turn, onTurnError included (assertReply would resolve at the apology).
  await adapter.processActivity({ type: 'message', text: 'do something' });
  const reply: Partial<Activity> | undefined = adapter.activeQueue.shift();
  const correlation = /correlation id ([0-9a-f]{8})/.exec(String(reply?.text))?.[1];
  expect(correlation).toBeDefined();
  expect(String(reply?.text)).toContain('reset our conversation');
  const record = JSON.parse(lines.find((line) => line.includes('turn failed')) ?? '{}') as Record<string, unknown>;
  expect(record).toMatchObject({ code: 'Internal', correlationId: correlation, activityType: 'message' });
  expect(record.conversationId).toBeTruthy();
  expect(await storage.read(['test/conversations/Convo1/'])).toEqual({});
  // The turn's telemetry span is marked failed with the code (the answer itself is an apology, not a 5xx).
  expect(failedSpans).toEqual(['Internal']);
});

test('a failing invoke is answered 500 with the correlation id', async () => {
  const { adapter } = setup();
  await adapter.send({ type: 'invoke', name: 'adaptiveCard/action', value: {} }).assertReply((activity) => {
    expect(activity.type).toBe('invokeResponse');
    expect((activity.value as { status: number }).status).toBe(500);
  });
});

test.each([
  [401, 'SignInRequired', /sign in again/],
  [403, 'Forbidden', /Identity Governance Administrator or User Administrator/],
  [404, 'NotFound', /no longer exists/],
  [400, 'BadRequest', /rejected/],
  [409, 'Conflict', /conflicts/],
  [429, 'Throttled', /busy.*Try again in 7 seconds/],
  [503, 'GraphUnavailable', /busy/],
])('Graph %i becomes AppError %s with a message for the user', (status, code, message) => {
  const error = new GraphError(status, 'refused');
  error.headers = new Headers({ 'retry-after': '7' });
  const mapped = toAppError(error, 'write', 'create the review');
  expect(mapped.code).toBe(code);
  expect(mapped.userMessage).toMatch(message);
  expect(mapped.status).toBe(status);
});
