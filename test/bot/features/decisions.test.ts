import { AppError } from '../../../bot/errors';
import type { ExportedDecision } from '../../../bot/graph/apis';
import { validateCard } from '../../../cards/validate';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import {
  buildBot, buttonsOf, cardOf, cardTexts, CHANNEL, invokeCard, invokeText, NOW, only, PEOPLE, type BotHarness,
} from '../support/botHarness';

/** `decisions <review> [filter]` (issue 11, item 3): counts over every item, the service's own steps labelled, items 10 a page. */

const ID = '33333333-aaaa-4aaa-8aaa-000000000001';
const ZERO = '00000000-0000-0000-0000-000000000000';
const megan = { id: IDS.megan, displayName: 'Megan Bowen' };

/** 25 items: 0-2 approved by Megan (recommended approve), 3 denied by Megan (recommended approve), 4-5 denied by the service
 *  and applied by it, 6 don't know; the rest not reviewed (recommendation deny on even, none on odd). */
function items(): ExportedDecision[] {
  return Array.from({ length: 25 }, (_, n): ExportedDecision => {
    const principal = { id: `p${n}`, displayName: `Person ${String(n).padStart(2, '0')}`, type: 'user' };
    if (n <= 2) return { id: `d${n}`, decision: 'Approve', recommendation: 'Approve', applyResult: 'New', reviewedBy: megan, justification: 'Still on the team', principal };
    // Megan's denial, applied by the service (auto-apply): "applied", not "decided", automatically.
    if (n === 3) {
      return { id: `d${n}`, decision: 'Deny', recommendation: 'Approve', applyResult: 'AppliedSuccessfully', reviewedBy: megan, justification: 'Left',
        appliedBy: { id: ZERO, displayName: '' }, principal };
    }
    if (n <= 5) {
      return { id: `d${n}`, decision: 'Deny', recommendation: 'Deny', applyResult: 'AppliedSuccessfully',
        reviewedBy: { id: ZERO, displayName: 'AAD Access Reviews' }, appliedBy: { id: ZERO, displayName: '' }, principal };
    }
    if (n === 6) return { id: `d${n}`, decision: 'DontKnow', recommendation: 'NoInfoAvailable', applyResult: 'New', reviewedBy: megan, principal };
    return { id: `d${n}`, decision: 'NotReviewed', recommendation: n % 2 === 0 ? 'Deny' : 'NoInfoAvailable', applyResult: 'New', reviewedBy: { id: ZERO, displayName: '' }, principal };
  });
}

function tenantWithDecisions(): FakeTenant {
  const tenant = smallTenant(() => NOW);
  tenant.definitions.push({
    id: ID, displayName: 'Sales Team guests', status: 'InProgress', settings: {},
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
  });
  tenant.runs.push({ definitionId: ID, id: 'run', status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-15T08:00:00Z', items: [] });
  tenant.decisionItems.set('run', items());
  return tenant;
}

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});
// The six count rows (label, value) under the two title lines.
const counts = (texts: string[]): string[] => texts.slice(2, 14);

test('counts per decision, recommendation and apply result, agreement, the service\'s own steps; then 10 items', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithDecisions() });
  const card = cardOf(only(await bot.say(PEOPLE.adele, 'decisions "Sales Team guests"')));
  expect(validateCard(card ?? {})).toEqual([]);
  const texts = cardTexts(card);
  expect(texts.slice(0, 2)).toEqual(['Decisions: Sales Team guests', 'Run · In progress · Sunday 1 June 2025 to Sunday 15 June 2025']);
  expect(counts(texts)).toEqual([
    'Items', '25',
    'Decisions', "Approved 3 · Denied 3 · Don't know 1 · Not reviewed 18",
    'Recommendations', 'Approve 4 · Deny 11 · No information 10',
    'Applied results', 'Not applied yet 22 · Applied 3',
    'Follow the recommendation', '5 of 6 decisions with one',
    'Decided automatically by Microsoft Entra', '2 decided, 3 applied',
  ]);
  const start = texts.indexOf('Items', 3);
  expect(texts.slice(start + 1, start + 11)).toEqual([
    'Person 00 · user', 'Approved by Megan Bowen', 'Still on the team', 'Recommended: Approve · Applied: Not applied yet',
    'Person 01 · user', 'Approved by Megan Bowen', 'Still on the team', 'Recommended: Approve · Applied: Not applied yet',
    'Person 02 · user', 'Approved by Megan Bowen',
  ]);
  const applied = texts.indexOf('Person 03 · user');
  expect(texts.slice(applied, applied + 5)).toEqual(['Person 03 · user', 'Denied by Megan Bowen', 'Left', 'Recommended: Approve · Applied: Applied',
    'Applied automatically by Microsoft Entra']);
  const auto = texts.indexOf('Person 04 · user');
  expect(texts.slice(auto, auto + 4)).toEqual(['Person 04 · user', 'Denied by Microsoft Entra', 'Recommended: Deny · Applied: Applied', 'Decided automatically by Microsoft Entra']);
  expect(texts.at(-1)).toBe('Page 1 of 3. Filters: pending, approved, denied, dontknow.');
  expect(buttonsOf(card).map((b) => [b.title, b.data])).toEqual([['Next', { verb: 'reviews.decisions', args: `${ID} page 2` }]]);
  // One scan counts every item; the card's page is read beside it.
  expect(bot.tenant.methods()).toEqual(['allDefinitions', 'instancesPage', 'scanDecisions', 'decisionsAt']);
});

test('a filter lists only those items, paged with it; counts stay over every item', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithDecisions() });
  const first = cardOf(only(await bot.say(PEOPLE.adele, `decisions ${ID} pending`)));
  const names = (card: ReturnType<typeof cardOf>): string[] => cardTexts(card).filter((t) => /^Person \d\d · user$/.test(t)).map((t) => t.slice(7, 9));
  expect(names(first)).toEqual(['07', '08', '09', '10', '11', '12', '13', '14', '15', '16']);
  expect(counts(cardTexts(first))[1]).toBe('25');
  const next = buttonsOf(first).find((b) => b.title === 'Next');
  expect(next?.data).toEqual({ verb: 'reviews.decisions', args: `${ID} pending page 2` });
  const second = invokeCard(await bot.press(PEOPLE.adele, 'reviews.decisions', next?.data));
  expect(names(second)).toEqual(['17', '18', '19', '20', '21', '22', '23', '24']);
  expect(buttonsOf(second).map((b) => [b.title, b.data])).toEqual([['Previous', { verb: 'reviews.decisions', args: `${ID} pending` }]]);
  expect(names(cardOf(only(await bot.say(PEOPLE.adele, `decisions ${ID} dontknow`))))).toEqual(['06']);
});

test('personal chat only: a channel or group chat is told where it works, and Graph is not asked', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithDecisions() });
  expect(String(only(await bot.say(PEOPLE.adele, `decisions ${ID}`, CHANNEL)).text)).toMatch(/works only in personal chat with me/);
  expect(invokeText(await bot.press(PEOPLE.adele, 'reviews.decisions', { verb: 'reviews.decisions', args: ID }, CHANNEL))).toMatch(/works only in personal chat with me/);
  expect(bot.tenant.calls).toEqual([]);
});

test('errors: 403 names the operation and the role; a deleted review says nothing changed; bad words are named', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithDecisions() });
  bot.tenant.failNext('scanDecisions', new AppError('Forbidden', 'Microsoft Graph refused to read the decisions of the access review. Reading access reviews needs the Identity Governance Administrator role.', { status: 403 }));
  expect(String(only(await bot.say(PEOPLE.adele, `decisions ${ID}`)).text)).toMatch(/refused to read the decisions of the access review\. Reading access reviews needs/);
  bot.tenant.failNext('instancesPage', new AppError('NotFound', 'gone', { status: 404 }));
  expect(String(only(await bot.say(PEOPLE.adele, `decisions ${ID}`)).text))
    .toBe('The review `Sales Team guests` (or its run) no longer exists (it may have just been deleted). Nothing changed.');
  expect(String(only(await bot.say(PEOPLE.adele, `decisions ${ID} maybe`)).text)).toMatch(/^I didn't understand `maybe` after the review/);
});
