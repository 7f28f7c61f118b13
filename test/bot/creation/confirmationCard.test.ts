import { TestAdapter, type TurnContext } from 'botbuilder';
import { validateCard, MAX_CARD_BYTES } from '../../../cards/validate';
import { fixedClock } from '../../../bot/clock';
import { draftCard, readCounts, sendConfirmation } from '../../../bot/creation/confirmation';
import { createDraftStore, type DraftStore, type ReviewDraft } from '../../../bot/creation/drafts';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { completeSettings, type SettingsDraft } from '../../../reviews/defaults';
import type { ReviewSettings, UserRef } from '../../../reviews/settings';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { messageActivity } from '../../support/teamsActivities';
import { buttonsOf, cardOf, cardTexts, GROUP_CHAT, GROUP_CHAT_ID, nodesOf, NOW, teamsWire, TODAY, type Reply } from '../support/botHarness';

/**
 * The confirmation card (bot/creation/confirmation.ts): every setting in plain words, the impact read from the
 * directory (counts only, as the requester), the warnings, Create only when nothing is wrong, and the draft's
 * id and revision on every button. Rendered from drafts in SQLite (in memory) over the Graph fake.
 */

const ADELE: UserRef = { id: IDS.adele, displayName: 'Adele Vance' };
const MEGAN: UserRef = { id: IDS.megan, displayName: 'Megan Bowen' };
const CONVERSATION = GROUP_CHAT_ID;
const SALES = { id: IDS.sales, displayName: 'Sales Team', isMicrosoft365: true };

/** A members review of Sales Team (4 people, 2 of them guests, 2 owners; Adele is a member) with auto-apply deny. */
const membersWithAutoDeny = (extra: Partial<SettingsDraft> = {}): ReviewSettings => completeSettings({
  scope: { kind: 'members', group: SALES }, options: { autoApply: true, defaultDecision: 'deny' }, ...extra,
}, ADELE, TODAY);

type Node = Record<string, unknown>;

/** The card's label/value rows (settings, then impact), as pairs. */
const rowsOf = (card: Node | undefined): Array<[string, string]> => nodesOf(card).filter((n) => n.type === 'ColumnSet')
  .map((set) => (set.columns as Node[]).map((column) => cardTexts(column).join('')) as [string, string]);
/** The texts coloured Attention (warnings), with their ⚠ runs. */
const warningsOf = (card: Node | undefined): string[] => cardTexts(card).filter((text) => text.startsWith('⚠ '));

let storage: SqliteStorage;
let drafts: DraftStore;
let tenant: FakeTenant;
const clock = fixedClock(NOW);

beforeEach(() => {
  clock.set(NOW);
  storage = new SqliteStorage(':memory:', { now: () => clock.now() });
  drafts = createDraftStore(storage, clock);
  tenant = smallTenant(() => clock.now());
});
afterEach(async () => {
  await storage.close();
});

async function draftOf(settings: ReviewSettings): Promise<ReviewDraft> {
  const counts = await readCounts(tenant.forUser(ADELE.id), settings, ADELE);
  return drafts.start({ id: ADELE.id, name: ADELE.displayName }, CONVERSATION, { settings, counts });
}

describe('draftCard', () => {
  test('a members review of a group with guests, auto-apply deny: settings, impact, warnings, Create', async () => {
    const settings = membersWithAutoDeny();
    const card = draftCard(await draftOf(settings), TODAY);
    expect(cardTexts(card)[0]).toBe('Sales Team members – one-time review');
    expect(settings.name).toBe('Sales Team members – one-time review');
    expect(rowsOf(card)).toEqual([
      ['What', 'Members of a group'],
      ['Group', 'Sales Team'],
      ['Reviewers', 'The group owners'],
      ['Fallback', 'Adele Vance'],
      ['How often', 'One time'],
      ['Starts', 'Monday 2 June 2025'],
      ['Each run lasts', '14 days'],
      ['Ends', 'After its only run, on Monday 16 June 2025'],
      ['Justification', 'Required to approve'],
      ['Recommendations', 'Shown to reviewers'],
      ["If reviewers don't respond", 'Deny: they lose access'],
      ['Auto-apply', 'On: results are applied when each run ends'],
      ['Notifications', 'Emails to reviewers, and reminders'],
      ['Name', 'Sales Team members – one-time review'],
      ['Description for reviewers', settings.descriptionForReviewers],
      // Impact
      ['In scope now', '4 people (2 guests among them)'],
      ['Guests', '2'],
      ['Reviewers', '2 owners of Sales Team'],
    ]);
    expect(warningsOf(card)).toEqual([
      "⚠ Auto-apply with 'deny' removes access from everyone nobody reviewed: up to 4 people could lose access.",
      "⚠ You are in this review's scope.",
    ]);
    expect(cardTexts(card)).toContain('Nothing is created until you press Create.');
    expect(cardTexts(card)).not.toContain('Fix these before creating the review:');
    expect(buttonsOf(card).map((b) => b.title)).toEqual(['Create', 'Change a setting', 'Cancel']);
  });

  test('inactive users: "up to" the group, since who is inactive is decided when the review starts (issue 10, item 7)', async () => {
    const settings = completeSettings({ scope: { kind: 'inactive', group: SALES, inactiveDays: 90 } }, ADELE, TODAY);
    const card = draftCard(await draftOf(settings), TODAY);
    expect(rowsOf(card).slice(-3)).toEqual([
      ['In scope now', 'up to 4 people (members of Sales Team; who is inactive is decided when the review starts)'],
      ['Guests', 'up to 2'],
      ['Reviewers', '2 owners of Sales Team'],
    ]);
  });

  test('the counts are read as the requester, counts only (never member lists)', async () => {
    await draftOf(membersWithAutoDeny());
    expect(new Set(tenant.calls.map((call) => call.as))).toEqual(new Set([IDS.adele]));
    expect(tenant.methods().sort()).toEqual(['countGroupOwners', 'countGroupUsers', 'countGroupUsers', 'isInGroup', 'listDefinitions']);
  });

  test('a start date in the past (by the clock\'s today): Create hidden, the problem listed', async () => {
    const settings = membersWithAutoDeny({ schedule: { startDate: '2025-06-01' } });
    const card = draftCard(await draftOf(settings), TODAY);
    expect(buttonsOf(card).map((b) => b.title)).toEqual(['Change a setting', 'Cancel']);
    const texts = cardTexts(card);
    expect(texts).toContain('Fix these before creating the review:');
    expect(texts).toContain('• The start date 2025-06-01 is in the past: choose today (2025-06-02) or a later date.');
    expect(texts).not.toContain('Nothing is created until you press Create.');
    // Judged against the day the card is drawn: the same draft is fine the day before.
    expect(buttonsOf(draftCard(await draftOf(settings), '2025-06-01')).map((b) => b.title)).toContain('Create');
  });

  test('guests, owners with no owners, blocked then deleted: the warnings in plain words', async () => {
    const settings = completeSettings({ scope: { kind: 'guests', group: { id: IDS.finance, displayName: 'Finance' } },
      options: { deniedGuests: 'blockThenDelete' } }, ADELE, TODAY);
    const card = draftCard(await draftOf(settings), TODAY);
    expect(rowsOf(card)).toEqual(expect.arrayContaining([['Denied guests', 'Blocked from signing in, then deleted after 30 days'],
      ['In scope now', '1 guest (everyone in this review is a guest)'], ['Reviewers', 'Adele Vance (fallback: Finance has no owners)']]));
    expect(warningsOf(card)).toEqual([
      '⚠ Finance has no owners, so Adele Vance (the fallback) will review everything.',
      '⚠ Denied guests are blocked from signing in, and their accounts are deleted from your directory after 30 days.',
    ]);
  });

  test('every button, fallbacks included, carries exactly the draft\'s id and revision', async () => {
    const draft = await draftOf(membersWithAutoDeny());
    const card = draftCard(draft, TODAY);
    const actions = nodesOf(card).filter((n) => n.type === 'Action.Execute' || n.type === 'Action.Submit');
    expect(actions).toHaveLength(6);
    for (const action of actions) {
      const { verb: _verb, ...rest } = action.data as Record<string, unknown>;
      expect(rest).toEqual({ confirmationId: draft.id, revision: 1 });
    }
  });

  test('a notice (the refreshed card) comes first', async () => {
    const card = draftCard(await draftOf(membersWithAutoDeny()), TODAY, 'This card was out of date.');
    expect(cardTexts(card).slice(0, 2)).toEqual(['This card was out of date.', 'Sales Team members – one-time review']);
  });

  test.each([
    ['the plain card', {}],
    ['with a problem', { schedule: { startDate: '2020-01-01' } }],
    ['with text that looks like bindings', { name: '${secret} {{DATE(2025-01-01)}}', descriptionForReviewers: '${$root.confirmationId}' }],
    ['with long names', { name: 'N'.repeat(256), descriptionForReviewers: 'D'.repeat(256) }],
  ] as Array<[string, Partial<SettingsDraft>]>)('passes cards/validate.ts (≤ 28 KB, no ${): %s', async (_name, extra) => {
    const card = draftCard(await draftOf(membersWithAutoDeny(extra)), TODAY);
    expect(validateCard(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(JSON.stringify(card)).not.toContain('${');
  });
});

describe('sendConfirmation', () => {
  /** One turn from `user` in the group chat, running `work`; the replies it sent. */
  async function turnOf(user: UserRef, work: (turn: TurnContext) => Promise<void>): Promise<Reply[]> {
    const adapter = new TestAdapter(work);
    const from = { id: `29:${user.displayName.split(' ')[0]?.toLowerCase() ?? ''}`, name: user.displayName, aadObjectId: user.id };
    // Teams' wire shape (timestamps as JSON strings), as the adapter receives it.
    const activity: object = messageActivity(teamsWire(), from, 'review "Sales Team" members', GROUP_CHAT);
    await adapter.processActivity(activity);
    return adapter.activeQueue.splice(0);
  }
  const send = (user: UserRef, settings: ReviewSettings, draftId?: string): Promise<Reply[]> => turnOf(user, (turn) =>
    sendConfirmation(turn, tenant.forUser(user.id), drafts, { settings, requester: user, today: TODAY, ...(draftId ? { draftId } : {}) }));
  const idOf = (replies: Reply[]): { confirmationId: string; revision: number } => {
    const { confirmationId, revision } = buttonsOf(cardOf(replies[0])).find((b) => b.title === 'Cancel')?.data ?? {};
    return { confirmationId: String(confirmationId), revision: Number(revision) };
  };

  test('stores a draft of the requester in this conversation and sends its card', async () => {
    const replies = await send(ADELE, membersWithAutoDeny());
    expect(replies).toHaveLength(1);
    const { confirmationId, revision } = idOf(replies);
    expect(revision).toBe(1);
    const opened = await drafts.open({ id: confirmationId, revision }, { userId: IDS.adele, conversationId: CONVERSATION });
    expect(opened).toMatchObject({ kind: 'open', action: { requester: { id: IDS.adele, name: 'Adele Vance' }, conversationId: CONVERSATION,
      payload: { counts: { principals: 4, guests: 2, owners: 2, requesterInScope: true } } } });
  });

  test('a change is a new revision of the same draft, and its card says so', async () => {
    const first = idOf(await send(ADELE, membersWithAutoDeny()));
    const replies = await send(ADELE, membersWithAutoDeny({ name: 'Renamed' }), first.confirmationId);
    expect(idOf(replies)).toEqual({ confirmationId: first.confirmationId, revision: 2 });
    expect(cardTexts(cardOf(replies[0]))[0]).toBe('Renamed');
  });

  test('a change to a draft that was created, cancelled, or is not there: nothing changed, said plainly', async () => {
    const { confirmationId, revision } = idOf(await send(ADELE, membersWithAutoDeny()));
    const actor = { userId: IDS.adele, conversationId: CONVERSATION };
    const opened = await drafts.open({ id: confirmationId, revision }, actor);
    if (opened.kind !== 'open') throw new Error(opened.kind);
    await drafts.finish(opened.action, { definitionId: 'definition-1', name: 'x', status: 'NotStarted', firstRun: 'today' });
    expect((await send(ADELE, membersWithAutoDeny(), confirmationId))[0]?.text)
      .toBe('This review was already created, so nothing changed. Type `review …` or `create review` for a new one.');

    const other = idOf(await send(ADELE, membersWithAutoDeny()));
    const pending = await drafts.open({ id: other.confirmationId, revision: 1 }, actor);
    if (pending.kind !== 'open') throw new Error(pending.kind);
    await drafts.cancel(pending.action);
    expect((await send(ADELE, membersWithAutoDeny(), other.confirmationId))[0]?.text)
      .toBe('This draft was cancelled, so nothing changed. Type `review …` or `create review` to start again.');

    expect((await send(ADELE, membersWithAutoDeny(), '00000000-0000-4000-8000-000000000000'))[0]?.text)
      .toBe('This draft has expired, so nothing changed. Type `review …` or `create review` to start again.');
  });

  test('someone else cannot revise a draft: nothing changed, the draft still at revision 1', async () => {
    const { confirmationId } = idOf(await send(ADELE, membersWithAutoDeny()));
    const replies = await send(MEGAN, membersWithAutoDeny({ name: 'Hijacked' }), confirmationId);
    expect(replies.map((r) => r.text)).toEqual([expect.stringContaining('nothing changed') as string]);
    const opened = await drafts.open({ id: confirmationId, revision: 1 }, { userId: IDS.adele, conversationId: CONVERSATION });
    expect(opened).toMatchObject({ kind: 'open', action: { revision: 1, payload: { settings: { name: 'Sales Team members – one-time review' } } } });
  });
});
