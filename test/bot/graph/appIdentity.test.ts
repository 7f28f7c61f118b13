import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import type { TokenProvider } from '../../../bot/auth/tokenProvider';
import { fixedClock } from '../../../bot/clock';
import { REVIEW_CANCEL, REVIEW_CREATE } from '../../../cards/verbs';
import { creationActions } from '../../../bot/cardActions/createReviewActions';
import { createDraftStore } from '../../../bot/creation/drafts';
import { QuickCreateDialog } from '../../../bot/dialogs/wizard/quickCreateDialog';
import { ReviewersStep } from '../../../bot/dialogs/wizard/reviewersStep';
import { createFeatures } from '../../../bot/features';
import { FeatureRunner, userGraph } from '../../../bot/features/runner';
import { createLogger } from '../../../bot/logger';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { completeSettings } from '../../../reviews/defaults';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { ADELE, WizardChat, SignedInTokens, signInPolicy } from '../dialogs/wizard/wizardHarness';

/**
 * The bot's own Graph identity (GraphSeam.forApp, client credentials) is for scheduled work only: no user
 * command may reach it, or a user could act with the app's rights instead of their own.
 *
 * Two checks. (1) The sources: outside bot/graph/ (the seam), bot/digests/ (the digest scheduler) and the reviewer
 * nudges' wiring (bot/reviewing/nudgeWiring.ts, scheduled too), no
 * file of bot/ names `forApp` or the app token at all, and only bot/graph/ turns a token into a client; a
 * reference would have to be written somewhere to be reached, so this catches every path, present and future.
 * (2) The behaviour: the user-facing handlers wired as app.ts wires them (`userGraph(seam)`), driven over a fake
 * seam that counts `forApp`, act only as the sender.
 */
const ROOT = join(__dirname, '..', '..', '..');
const ALLOWED = ['bot/graph/', 'bot/digests/', 'bot/reviewing/nudgeWiring.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const botFiles = sources(join(ROOT, 'bot')).map((path) => ({ name: relative(ROOT, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));
const outside = (allowed: readonly string[]) => botFiles.filter((file) => !allowed.some((prefix) => file.name.startsWith(prefix)));

describe('sources', () => {
  test('the scan sees the bot (and the seam defines forApp)', () => {
    expect(botFiles.length).toBeGreaterThan(20);
    expect(botFiles.find((file) => file.name === 'bot/graph/graphSeam.ts')?.text).toMatch(/\bforApp\(\): GraphApis/);
  });

  test('no file outside bot/graph, bot/digests and the nudges\' wiring names forApp', () => {
    expect(outside(ALLOWED).filter((file) => /\bforApp\b/.test(file.text)).map((file) => file.name)).toEqual([]);
  });

  test("the app token is asked for only by the seam and the scheduler (its provider in bot/auth defines it)", () => {
    expect(outside([...ALLOWED, 'bot/auth/']).filter((file) => /\bappToken\b/.test(file.text)).map((file) => file.name)).toEqual([]);
  });

  test('only bot/graph turns a token into a Graph client, and only bot/graph imports the Graph SDK', () => {
    expect(outside(['bot/graph/']).filter((file) => /\bforToken\b|microsoft-graph-client/.test(file.text)).map((file) => file.name)).toEqual([]);
  });
});

describe('behaviour: user commands act as their sender, never as the app', () => {
  const log = createLogger('silent');
  const clock = fixedClock(Date.parse('2025-06-02T09:00:00Z'));
  const today = '2025-06-02';
  const tokens: TokenProvider = {
    exchange: () => Promise.reject(new Error('not in this test')),
    userToken: () => Promise.resolve('user-token'),
    appToken: () => Promise.reject(new Error('a user command asked for the app token')),
    signOut: () => Promise.resolve(),
  };
  let tenant: FakeTenant;
  let storage: SqliteStorage;
  beforeEach(() => {
    tenant = smallTenant();
    storage = new SqliteStorage(':memory:');
  });
  afterEach(async () => {
    expect(tenant.appViews).toBe(0);
    expect(tenant.calls.filter((call) => call.as !== ADELE.id)).toEqual([]);
    await storage.close();
  });

  /** A turn from Adele (her Entra object id on the sender, as Teams sends it). */
  function turnFrom(activity: Partial<Activity>): TurnContext {
    const adapter = new TestAdapter();
    return new TurnContext(adapter, {
      ...adapter.conversation, type: 'message', channelId: 'msteams', from: { id: '29:adele', name: ADELE.displayName, aadObjectId: ADELE.id },
      conversation: { id: 'a:adele-chat', conversationType: 'personal', isGroup: false, name: '' }, ...activity,
    });
  }

  test('every feature, with and without arguments', async () => {
    const runner = new FeatureRunner(userGraph(tenant), log, { groupOf: () => Promise.resolve(IDS.sales) });
    const features = createFeatures((_turn, userId) => tokens.signOut(userId));
    expect(features.size).toBeGreaterThan(3);
    for (const [name, feature] of features) {
      for (const args of ['', 'active', 'completed', 'all', 'x']) {
        const reply = await runner.run(feature, turnFrom({ text: `${name} ${args}` }), args);
        expect(reply).toBeDefined();
      }
    }
    expect(tenant.methods()).toContain('definitionsFrom');
  });

  test('quick create with a group to pick and reviewers by address: the confirmation is prepared as the sender', async () => {
    const drafts = createDraftStore(storage, clock);
    const chat = new WizardChat(new QuickCreateDialog(drafts, userGraph(tenant), signInPolicy(new SignedInTokens('token'))),
      { args: 'Sal members monthly by megan@contoso.local', context: { scope: 'personal', requester: ADELE, today } });
    await chat.say('review Sal members monthly by megan@contoso.local');
    const confirmation = await chat.press('wizard.group', IDS.sales);
    expect(JSON.stringify(confirmation)).toContain(REVIEW_CREATE);
    expect(tenant.methods()).toEqual(expect.arrayContaining(['findUsersByEmail', 'searchGroups', 'countGroupUsers', 'isInGroup']));
  });

  test('the reviewers step looks people up as the sender', async () => {
    const chat = new WizardChat(new ReviewersStep(userGraph(tenant)),
      { state: { scopeKind: 'members' }, context: { scope: 'personal', requester: ADELE, today } });
    await chat.say('start');
    await chat.press('wizard.reviewers', 'users');
    await chat.say('megan@contoso.local, alex@contoso.local');
    expect(chat.stepResult).toMatchObject({ outcome: 'next' });
    expect(tenant.methods()).toEqual(['findUsersByEmail']);
  });

  test("the confirmation card's Create and Cancel buttons", async () => {
    const drafts = createDraftStore(storage, clock);
    const settings = completeSettings({ scope: { kind: 'guests', group: { id: IDS.sales, displayName: 'Sales Team' } } }, ADELE, today);
    const counts = { principals: 2, guests: 2, owners: 2, requesterInScope: false };
    const handlers = creationActions(drafts, userGraph(tenant), () => Promise.resolve(), clock, log);
    for (const verb of [REVIEW_CREATE, REVIEW_CANCEL] as const) {
      const draft = await drafts.start({ id: ADELE.id, name: ADELE.displayName }, 'a:adele-chat', { settings, counts });
      const data = { verb, confirmationId: draft.id, revision: draft.revision };
      const turn = turnFrom({ type: 'invoke', name: 'adaptiveCard/action' });
      const handler = handlers[verb];
      const admission = await handler?.admit?.(turn, data);
      expect(admission).toHaveProperty('admitted');
      await handler?.handle(turn, data, admission && 'admitted' in admission ? admission.admitted : undefined);
    }
    expect(tenant.definitions.map((d) => d.createdBy?.id)).toEqual([ADELE.id]);
  });
});
