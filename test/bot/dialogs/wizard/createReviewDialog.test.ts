import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, type StoreItems } from 'botbuilder';
import { systemClock } from '../../../../bot/clock';
import { createDraftStore, type DraftStore, type ReviewDraft } from '../../../../bot/creation/drafts';
import { DialogTurnStatus } from '../../../../bot/dialogs/dialogLib';
import { CreateReviewDialog, settingsFromState, type CreateReviewOptions } from '../../../../bot/dialogs/wizard/createReviewDialog';
import { GroupStep } from '../../../../bot/dialogs/wizard/groupStep';
import { InactiveDaysStep } from '../../../../bot/dialogs/wizard/inactiveDaysStep';
import { ReviewersStep } from '../../../../bot/dialogs/wizard/reviewersStep';
import { ScheduleStep } from '../../../../bot/dialogs/wizard/scheduleStep';
import { ScopeStep } from '../../../../bot/dialogs/wizard/scopeStep';
import { SettingsStep } from '../../../../bot/dialogs/wizard/settingsStep';
import { WhichSettingStep } from '../../../../bot/dialogs/wizard/whichSettingStep';
import type { WizardState } from '../../../../bot/dialogs/wizard/wizardState';
import { AppError } from '../../../../bot/errors';
import type { UserGraph } from '../../../../bot/features/runner';
import type { KeyValueStore } from '../../../../bot/storage/keyValueStore';
import { SqliteStorage } from '../../../../bot/storage/sqliteStorage';
import { DEFAULT_OPTIONS } from '../../../../reviews/settings';
import { GROUP, USER } from '../../../../dev/tenant/tenant';
import {
  ADELE, buttonsOf, contextFor, SignedInTokens, signInPolicy, startWorld, textOf, titleOf, WizardChat, type Reply, type WizardWorld,
} from './wizardHarness';

/** The creation wizard's driver (product spec, "Creation wizard"): step order, skipping, back, cancel, restarts, changes. */

/** The draft store's storage, remembering which keys were written (to tell whether a draft was saved). */
class WatchedStore implements KeyValueStore {
  readonly written: string[] = [];
  constructor(private readonly inner: KeyValueStore) {}
  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }
  write(changes: StoreItems): Promise<void> {
    this.written.push(...Object.keys(changes));
    return this.inner.write(changes);
  }
  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
  createIfAbsent(key: string, item: Record<string, unknown>, ttlSeconds?: number): Promise<boolean> {
    return this.inner.createIfAbsent(key, item, ttlSeconds);
  }

  writeIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    return this.inner.writeIfAbsent(key, item);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let world: WizardWorld;
let store: WatchedStore;
let drafts: DraftStore;
beforeAll(async () => {
  world = await startWorld();
  store = new WatchedStore(new SqliteStorage(':memory:'));
  drafts = createDraftStore(store, systemClock);
});
afterAll(async () => {
  await store.close();
  await world.tenant.dispose();
});

/** The wizard as app.ts wires it, with the sender's Graph client and a silent sign-in. */
function wizard(graphFor: UserGraph = world.graphFor): CreateReviewDialog {
  const steps = [new ScopeStep(), new InactiveDaysStep(), new GroupStep(graphFor), new ReviewersStep(graphFor), new ScheduleStep(),
    new SettingsStep(), new WhichSettingStep()];
  return new CreateReviewDialog(steps, drafts, graphFor, signInPolicy(new SignedInTokens(world.token)));
}

const TITLES = {
  scope: 'New access review · 1 of 5: what to review?', inactive: 'New access review · 1 of 5: inactive for how many days?', group: 'New access review · 2 of 5: which group?',
  reviewers: 'New access review · 3 of 5: who reviews?', fallback: 'New access review · 3 of 5: fallback reviewer', frequency: 'New access review · 4 of 5: how often?',
  start: 'New access review · 4 of 5: starting when?', duration: 'New access review · 4 of 5: how long does each run last?', end: 'New access review · 4 of 5: when does the series end?', settings: 'New access review · 5 of 5: settings', which: 'Change a setting',
};
const FINANCE = { id: GROUP.financeApps, displayName: 'Finance Apps' };
const CANCELLED = 'Cancelled: nothing was created.';

/** A button press (`step:choice`) or typed text; returns the title of each turn's card (or its text). */
async function walk(chat: WizardChat, answers: string[]): Promise<string[]> {
  const seen: string[] = [];
  for (const answer of answers) {
    const press = /^(wizard\.\w+):(.*)$/.exec(answer);
    const replies = await (press ? chat.press(press[1] ?? '', press[2] ?? '') : chat.say(answer));
    seen.push(said(replies));
  }
  return seen;
}
const said = (replies: Reply[]): string => {
  const card = WizardChat.card(replies);
  return card ? titleOf(card) : replies.map((r) => r.text ?? '').join(' ');
};

/** The wizard's own progress, as kept in conversation state. */
function progress(chat: WizardChat): { step: string; state: WizardState } {
  return chat.client.dialogContext.activeDialog?.state.progress as { step: string; state: WizardState };
}

/** The confirmation card's Create button (Action.Execute, verb review.create) and its draft id. */
function confirmationOf(replies: Reply[]): string {
  const create = buttonsOf(WizardChat.card(replies)).find((b) => b.type === 'Action.Execute' && b.verb === 'review.create');
  expect(create?.data).toEqual({ verb: 'review.create', confirmationId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string, revision: expect.any(Number) as number });
  return String(create?.data.confirmationId);
}

const draftKeys = (): string[] => store.written.filter((key) => key.startsWith('drafts/'));
const open = (options: Partial<CreateReviewOptions> = {}, dialog = wizard()): WizardChat =>
  new WizardChat(dialog, { context: contextFor(world), ...options } satisfies CreateReviewOptions);

test('the whole wizard ends with the confirmation card, whose draft holds the settings', async () => {
  const chat = open();
  expect(said(await chat.say('create review'))).toBe(TITLES.scope);
  const before = draftKeys().length;
  const titles = await walk(chat, ['wizard.scope:members', 'Finance Apps', 'wizard.reviewers:owners', 'me', 'monthly', `wizard.schedule:${world.today}`,
    '14', 'never']);
  expect(titles).toEqual([TITLES.group, TITLES.reviewers, TITLES.fallback, TITLES.frequency, TITLES.start, TITLES.duration, TITLES.end, TITLES.settings]);
  const last = await chat.press('wizard.settings', 'next');
  expect(chat.result.status).toBe(DialogTurnStatus.complete);
  expect(titleOf(WizardChat.card(last))).toBe('Finance Apps members – monthly review');
  expect(textOf(WizardChat.card(last))).toContain('Finance Apps');
  const id = confirmationOf(last);
  expect(draftKeys().slice(before)).toEqual([`drafts/${id}`]);
  const draft = await draftOf(id);
  expect(draft).toMatchObject({ id, revision: 1, requester: { id: USER.adele, name: 'Adele Vance' }, state: 'pending' });
  expect(draft?.payload.settings).toEqual({
    scope: { kind: 'members', group: expect.objectContaining(FINANCE) as object },
    reviewers: { kind: 'owners' },
    fallbackReviewers: [ADELE],
    schedule: { frequency: 'monthly', startDate: world.today, durationDays: 14, end: { kind: 'never' } },
    options: DEFAULT_OPTIONS,
    name: 'Finance Apps members – monthly review',
    descriptionForReviewers: 'Please confirm who still needs to be a member of Finance Apps. Deny access for anyone who no longer needs it.',
    descriptionForAdmins: expect.stringContaining(GROUP.financeApps) as string,
  });
});

test('inactive users: the wizard asks for the days, then the group', async () => {
  const chat = open();
  await chat.say('create review');
  expect(await walk(chat, ['inactive', '90', 'Finance Apps'])).toEqual([TITLES.inactive, TITLES.group, TITLES.reviewers]);
  expect(progress(chat).state).toMatchObject({ scopeKind: 'inactive', inactiveDays: 90, group: FINANCE });
});

test('all groups: no group question, forwards or backwards', async () => {
  const chat = open();
  await chat.say('create review');
  const reviewers = await chat.say('all groups');
  expect(titleOf(WizardChat.card(reviewers))).toBe(TITLES.reviewers);
  expect(buttonsOf(WizardChat.card(reviewers))[0]?.title).toBe('The owners of each group');
  expect(await walk(chat, ['back'])).toEqual([TITLES.scope]);
});

test('back from the reviewers returns to the group, then to the scope, keeping the answers', async () => {
  const chat = open();
  await chat.say('create review');
  await walk(chat, ['members', 'Finance Apps']);
  expect(await walk(chat, ['back'])).toEqual([TITLES.group]);
  expect(progress(chat)).toMatchObject({ step: 'wizard.group', state: { scopeKind: 'members', group: FINANCE } });
  expect(await walk(chat, ['wizard.group:back'])).toEqual([TITLES.scope]);
  expect(progress(chat)).toMatchObject({ step: 'wizard.scope', state: { scopeKind: 'members', group: FINANCE } });
  expect(await walk(chat, ['guests', 'Sales', 'self'])).toEqual([TITLES.group, TITLES.reviewers, TITLES.frequency]);
  expect(progress(chat).state).toMatchObject({ scopeKind: 'guests', group: { id: GROUP.salesTeam }, reviewers: { kind: 'self' } });
  expect(chat.result.status).toBe(DialogTurnStatus.waiting);
});

test('back on the first question asks it again', async () => {
  const chat = open();
  await chat.say('create review');
  expect(await walk(chat, ['back'])).toEqual([TITLES.scope]);
  expect(chat.result.status).toBe(DialogTurnStatus.waiting);
});

test('cancel in the middle says nothing was created and saves no draft', async () => {
  const chat = open();
  await chat.say('create review');
  await walk(chat, ['members', 'Finance Apps', 'owners']);
  const before = draftKeys().length;
  const replies = await chat.say('cancel');
  expect(replies.map((r) => r.text)).toEqual([CANCELLED]);
  expect(chat.result.status).toBe(DialogTurnStatus.complete);
  expect(draftKeys().length).toBe(before);
});

test('a bot restart in the middle loses nothing: new dialogs over the same state file resume at the same step', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wizard-state-'));
  const file = join(dir, 'state.sqlite');
  try {
    const first = new SqliteStorage(file);
    const before = new WizardChat(wizard(), { context: contextFor(world) }, new ConversationState(first));
    await before.say('create review');
    expect(await walk(before, ['guests', 'Sales', 'owners'])).toEqual([TITLES.group, TITLES.reviewers, TITLES.fallback]);
    await first.close();

    // A new process: new storage object over the same file, new dialogs, new client; only the file survives.
    const second = new SqliteStorage(file);
    const after = new WizardChat(wizard(), { context: contextFor(world) }, new ConversationState(second));
    const help = await after.say('help');
    expect(help[0]?.text).toBe('Fallback reviewers get the items nobody else can review. Choose yourself or type email addresses.');
    expect(titleOf(WizardChat.card(help))).toBe(TITLES.fallback);
    expect(progress(after)).toMatchObject({ step: 'wizard.reviewers', state: { scopeKind: 'guests', group: { id: GROUP.salesTeam } } });
    expect(await walk(after, ['me', 'once', 'today', '7'])).toEqual([TITLES.frequency, TITLES.start, TITLES.duration, TITLES.settings]);
    const last = await after.say('next');
    expect(titleOf(WizardChat.card(last))).toBe('Sales Team guests – one-time review');
    expect((await draftOf(confirmationOf(last)))?.payload.settings).toMatchObject({
      scope: { kind: 'guests', group: { id: GROUP.salesTeam } }, reviewers: { kind: 'owners' }, fallbackReviewers: [ADELE],
      schedule: { frequency: 'once', startDate: world.today, durationDays: 7 },
    });
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A draft as its owner (the chat's sender) opens it now, whatever revision it is at. */
async function draftOf(id: string): Promise<ReviewDraft | undefined> {
  const opened = await drafts.open({ id, revision: undefined }, { userId: USER.adele, conversationId: WizardChat.conversationId });
  return opened.kind === 'outdated' || opened.kind === 'open' ? opened.action : undefined;
}

/** A complete wizard state and its saved draft (what the confirmation card's "Change a setting" starts from). */
async function savedDraft(): Promise<{ state: WizardState; draftId: string }> {
  const state: WizardState = {
    scopeKind: 'members', group: FINANCE, reviewers: { kind: 'owners' }, fallbackReviewers: [ADELE],
    schedule: { frequency: 'monthly', startDate: world.today, durationDays: 14, end: { kind: 'never' } },
    options: DEFAULT_OPTIONS, name: 'Finance review', descriptionForReviewers: 'Please review.',
  };
  const counts = { principals: 3, guests: 0, owners: 1, requesterInScope: false };
  const draft = await drafts.start({ id: USER.adele, name: 'Adele Vance' }, WizardChat.conversationId, { settings: settingsFromState(state, contextFor(world)), counts });
  return { state, draftId: draft.id };
}

test('changing a setting asks which, runs only that step, and confirms the same draft again', async () => {
  const { state, draftId } = await savedDraft();
  const chat = open({ state, draftId });
  expect(said(await chat.say('change'))).toBe(TITLES.which);
  expect(await walk(chat, ['settings'])).toEqual([TITLES.settings]);
  const last = await chat.press('wizard.settings', 'next', { name: 'Renamed review' });
  expect(chat.result.status).toBe(DialogTurnStatus.complete);
  expect(titleOf(WizardChat.card(last))).toBe('Renamed review');
  expect(confirmationOf(last)).toBe(draftId);
  expect((await draftOf(draftId))?.payload.settings).toEqual(settingsFromState({ ...state, name: 'Renamed review' }, contextFor(world)));
});

describe('an expired sign-in is renewed (silently here: the token provider has a token again)', () => {
  /** The sender's Graph, but the first token asked for after `expire()` finds the sign-in expired. */
  function expiring(): { graphFor: UserGraph; expire: () => void; expired: () => boolean } {
    let expired = false;
    const signedIn = new SignedInTokens(world.token);
    const graphFor = world.graphOver({
      userToken: () => {
        if (!expired) return signedIn.userToken();
        expired = false;
        return Promise.reject(new AppError('SignInRequired', 'Please sign in again.'));
      },
      appToken: () => signedIn.appToken(),
    });
    return { graphFor, expire: () => { expired = true; }, expired: () => expired };
  }

  test('during a step, signed in again within the turn: the answer is taken, not dropped (issue 10, item 4)', async () => {
    const token = expiring();
    const chat = open({}, wizard(token.graphFor));
    await chat.say('create review');
    await walk(chat, ['members']);
    token.expire();
    const renewed = await chat.say('Finance Apps');
    expect(token.expired()).toBe(false);
    expect({ status: chat.result.status, said: said(renewed) }).toEqual({ status: DialogTurnStatus.waiting, said: TITLES.reviewers });
  });

  test('while preparing the confirmation: the confirmation is sent after it', async () => {
    const token = expiring();
    const { state, draftId } = await savedDraft();
    const chat = open({ state, draftId }, wizard(token.graphFor));
    await chat.say('change');
    await walk(chat, ['settings']);
    token.expire();
    const last = await chat.say('next');
    expect(token.expired()).toBe(false);
    expect(said(last)).toBe('Finance review');
    expect(confirmationOf(last)).toBe(draftId);
  });
});
