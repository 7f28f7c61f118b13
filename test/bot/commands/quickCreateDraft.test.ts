import fc from 'fast-check';
import { fixedClock } from '../../../bot/clock';
import { parseQuickCreate, type QuickCreateRequest, type QuickCreateReviewers } from '../../../bot/commands/quickCreate';
import { settingsDraftFrom, type QuickCreateResolved } from '../../../bot/commands/quickCreateDraft';
import { createDraftStore, type DraftStore } from '../../../bot/creation/drafts';
import { settingsFromState } from '../../../bot/dialogs/wizard/createReviewDialog';
import { QuickCreateDialog, type QuickCreateOptions } from '../../../bot/dialogs/wizard/quickCreateDialog';
import type { WizardContext, WizardState } from '../../../bot/dialogs/wizard/wizardState';
import { userGraph } from '../../../bot/features/runner';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { completeSettings } from '../../../reviews/defaults';
import { DEFAULT_OPTIONS, type GroupRef, type ReviewSettings, type UserRef } from '../../../reviews/settings';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { ADELE, buttonsOf, WizardChat, SignedInTokens, signInPolicy, type Reply } from '../dialogs/wizard/wizardHarness';

/** Quick create → the domain's settings draft: pure (what was said + what Graph resolved), then the dialog around it. */

const TODAY = '2025-06-02';
const SALES: GroupRef = { id: IDS.sales, displayName: 'Sales Team' };
const MEGAN: UserRef = { id: IDS.megan, displayName: 'Megan Bowen' };
const requested = (args: string): QuickCreateRequest => {
  const parsed = parseQuickCreate(args);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.request;
};

describe('settingsDraftFrom', () => {
  const resolved: QuickCreateResolved = { requester: ADELE, group: SALES };

  test.each<[string, QuickCreateResolved, ReturnType<typeof settingsDraftFrom>]>([
    ['Sales', resolved, { scope: { kind: 'members', group: SALES }, schedule: {} }],
    ['"Sales Team" guests quarterly by owners for 14 days auto-apply if no response recommend', resolved, {
      scope: { kind: 'guests', group: SALES }, reviewers: { kind: 'owners' }, schedule: { frequency: 'quarterly', durationDays: 14 },
      options: { autoApply: true, defaultDecision: 'recommendation' },
    }],
    ['this team inactive 90 days annually by me starting 2025-07-01 ending 2030-01-01', resolved, {
      scope: { kind: 'inactive', group: SALES, inactiveDays: 90 }, reviewers: { kind: 'users', users: [ADELE] },
      schedule: { frequency: 'annually', startDate: '2025-07-01', end: { kind: 'date', date: '2030-01-01' } },
    }],
    ['all groups guests monthly by managers after 6 runs if no response no change', { requester: ADELE }, {
      scope: { kind: 'allGroupsGuests' }, reviewers: { kind: 'managers' }, schedule: { frequency: 'monthly', end: { kind: 'count', count: 6 } },
      options: { defaultDecision: 'none' },
    }],
    ['Sales by megan@contoso.local,alex@contoso.local', { ...resolved, reviewers: [MEGAN] }, {
      scope: { kind: 'members', group: SALES }, reviewers: { kind: 'users', users: [MEGAN] }, schedule: {},
    }],
    ['Sales by self weekly', resolved, { scope: { kind: 'members', group: SALES }, reviewers: { kind: 'self' }, schedule: { frequency: 'weekly' } }],
  ])('review %s', (args, given, draft) => {
    expect(settingsDraftFrom(requested(args), given)).toStrictEqual(draft);
  });

  test('only what was said: no fallback, name or description (completeSettings has the defaults)', () => {
    const settings = completeSettings(settingsDraftFrom(requested('Sales guests'), resolved), ADELE, TODAY);
    expect(settings).toMatchObject({
      reviewers: { kind: 'owners' }, fallbackReviewers: [ADELE], options: DEFAULT_OPTIONS,
      schedule: { frequency: 'once', startDate: TODAY, durationDays: 14, end: { kind: 'never' } }, name: 'Sales Team guests – one-time review',
    });
  });

  test('a group or addresses not resolved are a bug, not a silent default', () => {
    expect(() => settingsDraftFrom(requested('Sales'), { requester: ADELE })).toThrow('the group is not resolved');
    expect(() => settingsDraftFrom(requested('all groups by a@x.com'), { requester: ADELE })).toThrow('not resolved');
  });

  /** What quick create did before the draft (bot/dialogs/wizard/quickCreateDialog.ts stateFor → settingsFromState), as the oracle. */
  function previously(request: QuickCreateRequest, given: QuickCreateResolved, context: WizardContext): ReviewSettings {
    const state: WizardState = {
      scopeKind: request.target.kind === 'allGroups' ? 'allGroupsGuests' : request.what?.kind ?? 'members',
      ...(request.what?.kind === 'inactive' ? { inactiveDays: request.what.days } : {}),
      schedule: {
        ...(request.frequency ? { frequency: request.frequency } : {}), ...(request.startDate ? { startDate: request.startDate } : {}),
        ...(request.durationDays ? { durationDays: request.durationDays } : {}), ...(request.end ? { end: request.end } : {}),
      },
      options: undefined,
    };
    if (request.autoApply !== undefined || request.defaultDecision !== undefined) {
      state.options = { ...DEFAULT_OPTIONS, ...(request.autoApply ? { autoApply: true } : {}), ...(request.defaultDecision ? { defaultDecision: request.defaultDecision } : {}) };
    }
    const reviewers = request.reviewers ?? { kind: 'owners' };
    if (reviewers.kind === 'owners' || reviewers.kind === 'managers' || reviewers.kind === 'self') state.reviewers = { kind: reviewers.kind };
    if (reviewers.kind === 'me') state.reviewers = { kind: 'users', users: [context.requester] };
    if (reviewers.kind === 'emails') state.reviewers = { kind: 'users', users: given.reviewers ?? [] };
    if (request.target.kind !== 'allGroups') state.group = given.group;
    return settingsFromState(state, context);
  }

  test('the settings are those quick create made before, for any request', () => {
    const date = fc.integer({ min: 0, max: 3_000 }).map((n) => new Date(Date.UTC(2025, 5, 2 + n)).toISOString().slice(0, 10));
    const positive = fc.integer({ min: 1, max: 1_000 });
    const reviewers = fc.oneof(
      fc.constantFrom<QuickCreateReviewers>({ kind: 'owners' }, { kind: 'managers' }, { kind: 'me' }, { kind: 'self' }),
      fc.constant<QuickCreateReviewers>({ kind: 'emails', emails: ['megan@contoso.local'] }),
    );
    const request: fc.Arbitrary<QuickCreateRequest> = fc.record({
      target: fc.constantFrom<QuickCreateRequest['target']>({ kind: 'group', name: 'Sales' }, { kind: 'thisTeam' }, { kind: 'allGroups' }),
      what: fc.option(fc.oneof(fc.constantFrom({ kind: 'members' as const }, { kind: 'guests' as const }),
        positive.map((days) => ({ kind: 'inactive' as const, days }))), { nil: undefined }),
      frequency: fc.option(fc.constantFrom('once', 'weekly', 'monthly', 'quarterly', 'semiannually', 'annually' as const), { nil: undefined }),
      reviewers: fc.option(reviewers, { nil: undefined }),
      durationDays: fc.option(positive, { nil: undefined }),
      startDate: fc.option(date, { nil: undefined }),
      end: fc.option(fc.oneof(date.map((d) => ({ kind: 'date' as const, date: d })), positive.map((count) => ({ kind: 'count' as const, count }))),
        { nil: undefined }),
      autoApply: fc.option(fc.constant(true), { nil: undefined }),
      defaultDecision: fc.option(fc.constantFrom('none', 'approve', 'deny', 'recommendation' as const), { nil: undefined }),
    }, { requiredKeys: ['target'] }).map((r) => (r.target.kind === 'allGroups' && r.what !== undefined ? { ...r, what: { kind: 'guests' as const } } : r));
    const context: WizardContext = { scope: 'personal', requester: ADELE, today: TODAY };
    fc.assert(fc.property(request, fc.boolean(), (said, dynamic) => {
      const given: QuickCreateResolved = {
        requester: ADELE, reviewers: [MEGAN], ...(said.target.kind === 'allGroups' ? {} : { group: { ...SALES, isDynamic: dynamic } }),
      };
      expect(completeSettings(settingsDraftFrom(said, given), ADELE, TODAY)).toEqual(previously(said, given, context));
    }), { numRuns: 5_000 });
  });
});

describe('the quick create dialog resolves with Graph, then confirms the draft', () => {
  let tenant: FakeTenant;
  let storage: SqliteStorage;
  let drafts: DraftStore;
  let started: ReviewSettings[];
  beforeEach(() => {
    tenant = smallTenant();
    storage = new SqliteStorage(':memory:');
    drafts = createDraftStore(storage, fixedClock(Date.parse(`${TODAY}T09:00:00Z`)));
    started = [];
    const start = drafts.start.bind(drafts);
    jest.spyOn(drafts, 'start').mockImplementation((requester, conversationId, payload) => {
      started.push(payload.settings);
      return start(requester, conversationId, payload);
    });
  });
  afterEach(async () => {
    await storage.close();
  });

  const chatFor = (args: string, context: Partial<WizardContext> = {}): { chat: WizardChat; first: Promise<Reply[]> } => {
    const options: QuickCreateOptions = { args, context: { scope: 'personal', requester: ADELE, today: TODAY, ...context } };
    const chat = new WizardChat(new QuickCreateDialog(drafts, userGraph(tenant), signInPolicy(new SignedInTokens('token'))), options);
    return { chat, first: chat.say(`review ${args}`) };
  };
  const expected = (args: string, given: Omit<QuickCreateResolved, 'requester'>): ReviewSettings =>
    completeSettings(settingsDraftFrom(requested(args), { requester: ADELE, ...given }), ADELE, TODAY);
  const isConfirmation = (replies: Reply[]): boolean => buttonsOf(WizardChat.card(replies)).some((b) => b.verb === 'review.create');

  test('a name with several matches asks which (the wizard\'s group step), then confirms the picked group', async () => {
    const args = 'Sal members monthly by megan@contoso.local';
    const { chat, first } = chatFor(args);
    expect(buttonsOf(WizardChat.card(await first)).map((b) => b.title)).toEqual(['Sales Team', 'Sales Ops (dynamic: auto-apply not supported)', 'Back', 'Cancel']);
    expect(started).toEqual([]);
    expect(isConfirmation(await chat.press('wizard.group', IDS.sales))).toBe(true);
    const group = { ...SALES, isDynamic: false, isAssignableToRole: false, isMicrosoft365: true };
    const megan = { ...MEGAN, userPrincipalName: 'megan@contoso.local' };
    expect(started).toEqual([expected(args, { group, reviewers: [megan] })]);
    expect(started[0]).toMatchObject({ scope: { kind: 'members', group }, reviewers: { kind: 'users', users: [megan] }, fallbackReviewers: [] });
  });

  test('one exact match, this team and all groups confirm at once', async () => {
    const finance = { id: IDS.finance, displayName: 'Finance', isDynamic: false, isAssignableToRole: false, isMicrosoft365: false };
    const sales = { ...SALES, isDynamic: false, isAssignableToRole: false, isMicrosoft365: true };
    for (const [args, context, given] of [
      ['Finance guests weekly for 7 days', {}, { group: finance }],
      ['this team guests quarterly', { teamGroupId: IDS.sales }, { group: sales }],
      ['all groups guests quarterly by managers', {}, {}],
    ] as const) {
      started = [];
      expect(isConfirmation(await chatFor(args, context).first)).toBe(true);
      expect(started).toEqual([expected(args, given)]);
    }
  });

  test.each([
    ['this team guests', 'only works in a team channel'],
    ['Sales by nobody@contoso.local', 'No user in the directory has the address `nobody@contoso.local`.'],
    ['Zebra guests', 'No group\'s name starts with `Zebra`.'],
    ['Sales fortnightly', 'I didn\'t understand `fortnightly` in your review command.'],
  ])('review %s: a sentence, no draft', async (args, sentence) => {
    const replies = await chatFor(args).first;
    expect(replies.map((reply) => reply.text).join(' ')).toContain(sentence);
    expect(started).toEqual([]);
  });

  test('more than 15 addresses are refused before any lookup (the lookup reads 15: the rest would be dropped)', async () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => `user${i}@contoso.local`).join(',');
    const replies = await chatFor(`Sales by ${sixteen}`).first;
    expect(replies.map((reply) => reply.text)).toEqual(['Name at most 15 reviewers by address (there are 16).']);
    expect(tenant.calls).toEqual([]);
    expect(started).toEqual([]);
  });

  test('cancel instead of a pick creates nothing', async () => {
    const { chat, first } = chatFor('Sal guests');
    await first;
    expect((await chat.press('wizard.group', 'cancel')).map((reply) => reply.text)).toEqual(['Cancelled: nothing was created.']);
    expect(started).toEqual([]);
  });
});
