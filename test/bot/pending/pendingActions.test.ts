import { PendingActions, roomOf, type Actor, type PendingAction } from '../../../bot/pending/pendingActions';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';

/** Confirm-then-act with its ownership rules (issue 7, item 1), on a fixed clock. */
let now = Date.UTC(2026, 11, 4, 12);
const clock = (): number => now;
let store: SqliteStorage;
let actions: PendingActions<{ name: string }, { done: string }>;

const ADELE = { id: 'adele-id', name: 'Adele Vance' };
const CHANNEL = '19:general@thread.tacv2';
const adele: Actor = { userId: ADELE.id, conversationId: `${CHANNEL};messageid=100` };
const alex: Actor = { userId: 'alex-id', conversationId: `${CHANNEL};messageid=100` };

beforeEach(() => {
  now = Date.UTC(2026, 11, 4, 12);
  store = new SqliteStorage(':memory:', { now: clock });
  actions = new PendingActions(store, { kind: 'drafts', ttlSeconds: 3600, claimSeconds: 60, clock: { now: clock } });
});
afterEach(async () => {
  await store.close();
});

const start = (): Promise<PendingAction<{ name: string }, { done: string }>> => actions.start(ADELE, adele.conversationId, { name: 'first' });

test('the owner, in the room where she asked (any thread of it), on the current revision, may act', async () => {
  const action = await start();
  expect(action).toMatchObject({ revision: 1, state: 'pending', conversationId: CHANNEL, requester: ADELE });
  const elsewhereInRoom: Actor = { ...adele, conversationId: `${CHANNEL};messageid=200` };
  expect(await actions.open({ id: action.id, revision: 1 }, elsewhereInRoom)).toEqual({ kind: 'open', action });
  expect(await actions.open({ id: action.id, revision: '1' }, adele)).toMatchObject({ kind: 'open' });
});

test('anyone else, or the owner from another conversation, is refused with the owner\'s name', async () => {
  const action = await start();
  expect(await actions.open({ id: action.id, revision: 1 }, alex)).toEqual({ kind: 'notYours', owner: 'Adele Vance' });
  expect(await actions.open({ id: action.id, revision: 1 }, { ...adele, conversationId: 'a:personal-chat-adele' }))
    .toEqual({ kind: 'notYours', owner: 'Adele Vance' });
});

test.each([
  ['a missing revision', undefined], ['an older revision', 0], ['a newer revision', 2], ['a fraction', 1.5], ['text', 'one'], ['an object', { n: 1 }],
])('a card with %s is outdated, never open', async (_name, revision) => {
  const action = await start();
  expect(await actions.open({ id: action.id, revision }, adele)).toEqual({ kind: 'outdated', action });
});

test.each([['not a uuid', 'drafts/../x'], ['a number', 42], ['nothing', undefined], ['an unknown id', '00000000-0000-4000-8000-000000000000']])(
  'a card naming %s opens nothing', async (_name, id) => {
    expect(await actions.open({ id, revision: 1 }, adele)).toEqual({ kind: 'unknown' });
  });

test('an action expires after its time to live', async () => {
  const action = await start();
  now += 3600 * 1000 - 1;
  expect((await actions.open({ id: action.id, revision: 1 }, adele)).kind).toBe('open');
  now += 1;
  expect(await actions.open({ id: action.id, revision: 1 }, adele)).toEqual({ kind: 'unknown' });
});

test('revise: the owner\'s change is a new revision; the old card is outdated; nobody else can revise', async () => {
  const action = await start();
  expect(await actions.revise(action.id, alex, { name: 'alex' })).toEqual({ kind: 'notYours', owner: 'Adele Vance' });
  const revised = await actions.revise(action.id, adele, { name: 'second' });
  expect(revised).toMatchObject({ kind: 'open', action: { revision: 2, payload: { name: 'second' } } });
  expect((await actions.open({ id: action.id, revision: 1 }, adele)).kind).toBe('outdated');
  expect(await actions.open({ id: action.id, revision: 2 }, adele)).toMatchObject({ kind: 'open', action: { payload: { name: 'second' } } });
});

test('claim once: a second press (or replica) is refused until the first releases or its claim expires', async () => {
  const action = await start();
  expect(await actions.claim(action)).toBe(true);
  expect(await actions.claim(action)).toBe(false);
  // While a press holds it, neither a change nor a cancel slips in.
  expect((await actions.revise(action.id, adele, { name: 'late' })).kind).toBe('busy');
  expect((await actions.cancel(action)).kind).toBe('busy');
  await actions.release(action);
  expect(await actions.claim(action)).toBe(true);
  now += 60 * 1000;
  expect(await actions.claim(action)).toBe(true);
});

test('done and cancelled are final: nothing opens, revises or cancels them again', async () => {
  const done = await actions.finish(await start(), { done: 'review-1' });
  expect(await actions.open({ id: done.id, revision: 1 }, adele)).toEqual({ kind: 'final', action: done });
  expect(await actions.revise(done.id, adele, { name: 'x' })).toEqual({ kind: 'final', action: done });
  expect(await actions.cancel(done)).toEqual({ kind: 'final', action: done });

  const other = await start();
  const cancelled = await actions.cancel(other);
  expect(cancelled).toMatchObject({ kind: 'final', action: { state: 'cancelled' } });
  expect((await actions.open({ id: other.id, revision: 1 }, adele)).kind).toBe('final');
  expect((await actions.revise(other.id, adele, { name: 'reopen' })).kind).toBe('final');
  // Someone else still learns only whose it is, not how it ended.
  expect(await actions.open({ id: other.id, revision: 1 }, alex)).toEqual({ kind: 'notYours', owner: 'Adele Vance' });
});

test('roomOf keeps the conversation and drops only a channel thread', () => {
  expect(roomOf('19:abc@thread.tacv2;messageid=1')).toBe('19:abc@thread.tacv2');
  expect(roomOf('a:personal')).toBe('a:personal');
});
