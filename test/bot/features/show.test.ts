import { AppError } from '../../../bot/errors';
import type { ExportedDecision, ReviewDefinition } from '../../../bot/graph/apis';
import { validateCard } from '../../../cards/validate';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import {
  buildBot, buttonsOf, cardOf, cardTexts, CHANNEL, invokeCard, NOW, only, PEOPLE, textOf, type BotHarness,
} from '../support/botHarness';

/** `show <review>` (issue 11, item 2): settings in the confirmation card's words, runs with progress and who is still to answer. */

const ID = '22222222-aaaa-4aaa-8aaa-000000000001';
const ALL_GROUPS = '22222222-aaaa-4aaa-8aaa-000000000002';
const scope = (query: string, type = '#microsoft.graph.accessReviewQueryScope', extra = {}): ReviewDefinition['scope'] =>
  ({ '@odata.type': type, query, queryType: 'MicrosoftGraph', ...extra });

function tenantWithReviews(): FakeTenant {
  const tenant = smallTenant(() => NOW);
  tenant.definitions.push({
    id: ID, displayName: 'Sales Team guests', status: 'InProgress', descriptionForReviewers: 'Please review', descriptionForAdmins: '',
    // As Graph echoes them: /v1.0 prefixes, the cast and the query string.
    scope: scope(`/v1.0/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')`),
    reviewers: [{ query: `/v1.0/groups/${IDS.sales}/owners`, queryType: 'MicrosoftGraph', queryRoot: null }],
    fallbackReviewers: [{ query: `/v1.0/users/${IDS.adele}`, queryType: 'MicrosoftGraph' }],
    settings: {
      mailNotificationsEnabled: true, reminderNotificationsEnabled: false, justificationRequiredOnApproval: true, defaultDecisionEnabled: true,
      defaultDecision: 'Recommendation', autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 14,
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2025-06-01', endDate: '9999-12-31' } },
      applyActions: [{ '@odata.type': '#microsoft.graph.disableAndDeleteUserApplyAction' }],
    },
  }, {
    id: ALL_GROUPS, displayName: 'Guests everywhere', status: 'InProgress',
    scope: scope("./members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')"), reviewers: [{ query: './manager', queryRoot: 'decisions' }],
    settings: { instanceDurationInDays: 7, recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2025-06-01', endDate: '2025-06-08' } } },
  });
  tenant.runs.push(
    { definitionId: ID, id: 'run-now', status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-15T08:00:00Z',
      scope: { query: `/v1.0/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user` }, items: [] },
    { definitionId: ID, id: 'run-before', status: 'Applied', startDateTime: '2025-03-01T08:00:00Z', endDateTime: '2025-03-15T08:00:00Z', items: [] },
  );
  // 250 items, 3 decided by Megan, 1 by the service; Megan and Alex were contacted.
  const items: ExportedDecision[] = Array.from({ length: 250 }, (_, n) => ({
    id: `d${n}`, decision: n < 3 ? 'Approve' : n === 3 ? 'Deny' : 'NotReviewed',
    reviewedBy: n < 3 ? { id: IDS.megan, displayName: 'Megan Bowen' } : n === 3 ? { id: '00000000-0000-0000-0000-000000000000', displayName: 'AAD Access Reviews' } : null,
  }));
  tenant.decisionItems.set('run-now', items);
  tenant.contacted.set('run-now', [{ id: IDS.megan, displayName: 'Megan Bowen' }, { id: IDS.alex, displayName: 'Alex Wilber' }]);
  for (let n = 0; n < 14; n += 1) {
    const group = n === 0 ? IDS.sales : n === 1 ? IDS.finance : `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`;
    tenant.runs.push({ definitionId: ALL_GROUPS, id: `g${n}`, status: 'InProgress', startDateTime: `2025-06-01T08:00:${String(59 - n).padStart(2, '0')}Z`,
      endDateTime: '2025-06-08T08:00:00Z', scope: { query: `/v1.0/groups/${group}/members/microsoft.graph.user/?$filter=(userType eq 'Guest')` }, items: [] });
  }
  return tenant;
}

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});

test('a review in the confirmation card\'s words, read back from the definition Graph echoes, and its runs', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithReviews() });
  const card = cardOf(only(await bot.say(PEOPLE.adele, 'show "Sales Team guests"')));
  expect(validateCard(card ?? {})).toEqual([]);
  expect(cardTexts(card)).toEqual([
    'Sales Team guests', 'In progress · Quarterly',
    'What', 'Guests of a group', 'Group', 'Sales Team', 'Reviewers', 'The group owners', 'Fallback', 'Adele Vance', 'How often', 'Quarterly',
    'Starts', 'Sunday 1 June 2025', 'Each run lasts', '14 days', 'Ends', 'Never: it repeats until someone stops it',
    'Justification', 'Required to approve', 'Recommendations', 'Shown to reviewers', "If reviewers don't respond", "Take Microsoft Entra's recommendations",
    'Auto-apply', 'Off: results are applied by hand', 'Denied guests', 'Blocked from signing in, then deleted after 30 days',
    'Notifications', 'Emails to reviewers, no reminders', 'Name', 'Sales Team guests', 'Description for reviewers', 'Please review',
    'Runs',
    'Current run · In progress', 'Sunday 1 June 2025 to Sunday 15 June 2025', '4 of 250 reviewed (1%)', 'Waiting on Alex Wilber',
    'Earlier run · Applied', 'Saturday 1 March 2025 to Saturday 15 March 2025', '0 of 0 reviewed',
  ]);
  // The run is in progress: Send reminder and Stop (not Apply); each posts its command's card below.
  expect(buttonsOf(card).map((b) => [b.title, b.data])).toEqual([['Refresh', { verb: 'reviews.show', args: ID }],
    ...[['Decisions', 'reviews.decisions'], ['Send reminder', 'reviews.remind'], ['Stop', 'reviews.stop']].map(([title, verb]) => [title, { verb, args: ID, open: 'below' }])]);
  // Every item counted: three pages of 100 in one request; the runs and the names in one call each.
  const scans = bot.tenant.calls.filter((c) => c.method === 'scanDecisions');
  expect(scans.map((c) => c.args[1])).toEqual(['run-now', 'run-before']);
  expect(new Set(bot.tenant.calls.map((c) => c.as))).toEqual(new Set([IDS.adele]));
});

test('an all-groups review: one line per group, "and N more" past the page', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithReviews() });
  const texts = cardTexts(cardOf(only(await bot.say(PEOPLE.adele, 'show guests every'))));
  expect(texts.slice(0, 8)).toEqual(['Guests everywhere', 'In progress · One time', 'What', 'Guests in all Microsoft 365 groups', 'Group',
    'Every Microsoft 365 group that has guests, each reviewed separately (dynamic and role-assignable groups are left out)', 'Reviewers', "Each person's manager"]);
  expect(texts).toContain('Runs (one per group)');
  // The latest-started run first, then the others; groups the directory does not know read "A group".
  const titles = texts.slice(texts.indexOf('Runs (one per group)')).filter((t) => t.endsWith(' · In progress')).map((t) => t.replace(' · In progress', ''));
  expect(titles).toHaveLength(10);
  expect(titles.slice(0, 3)).toEqual(['Sales Team', 'Finance', 'A group']);
  expect(texts.at(-1)).toBe('…and 4 more groups');
  // One run per group: the run commands answer with the admin center, so the card offers none of them.
  expect(buttonsOf(cardOf(only(await bot.say(PEOPLE.adele, 'show guests every')))).map((b) => b.title)).toEqual(['Refresh', 'Decisions']);
});

test('a press of Refresh re-reads the review as the presser; a deleted one says so and that nothing changed', async () => {
  bot = buildBot({ signedIn: [IDS.adele, IDS.megan], tenant: tenantWithReviews() });
  const refreshed = invokeCard(await bot.press(PEOPLE.megan, 'reviews.show', { verb: 'reviews.show', args: ID }));
  expect(cardTexts(refreshed)[0]).toBe('Sales Team guests');
  // The id is re-checked, then the whole definition read: both as the presser.
  expect(bot.tenant.calls.filter((c) => c.method === 'getDefinition').map((c) => c.as)).toEqual([IDS.megan, IDS.megan]);
  bot.tenant.failNext('instancesPage', new AppError('NotFound', 'gone', { status: 404 }));
  expect(textOf(await bot.say(PEOPLE.adele, `show ${ID}`))).toBe('The review `Sales Team guests` no longer exists (it may have just been deleted). Nothing changed.');
  bot.tenant.definitions.splice(0, 1);
  expect(textOf(await bot.say(PEOPLE.adele, `show ${ID}`))).toBe(`No access review has the id \`${ID}\` (it may have been deleted). Nothing changed.`);
});

test('a 403 names the operation and the roles that read reviews', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithReviews() });
  bot.tenant.failNext('scanDecisions', new AppError('Forbidden', 'Microsoft Graph refused to read the decisions of the access review. Reading access reviews needs the Identity Governance Administrator, User Administrator, Global Reader, Security Reader or Security Administrator role, or being the creator of the review.', { status: 403 }));
  expect(textOf(await bot.say(PEOPLE.adele, `show ${ID}`))).toMatch(/refused to read the decisions of the access review\. Reading access reviews needs the Identity Governance Administrator/);
});

test('several matches: a choice card whose buttons replay show with the id', async () => {
  const tenant = tenantWithReviews();
  tenant.definitions.push({ ...(tenant.definitions[0]), id: 'other', displayName: 'Sales Team members' });
  bot = buildBot({ signedIn: [IDS.adele], tenant });
  const card = cardOf(only(await bot.say(PEOPLE.adele, 'show sales')));
  expect(buttonsOf(card).map((b) => b.data)).toEqual([{ verb: 'reviews.show', args: ID }, { verb: 'reviews.show', args: 'other' }]);
});

test('in a team channel only the team group\'s reviews; a group chat is told where it works', async () => {
  bot = buildBot({ signedIn: [IDS.megan], tenant: tenantWithReviews() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, `show ${ID}`, CHANNEL)));
  expect(cardTexts(card)[0]).toBe('Sales Team guests');
  // No Decisions button in a shared room: per-principal decisions stay in personal chat.
  expect(buttonsOf(card).map((b) => b.title)).toEqual(['Refresh']);
  expect(textOf(await bot.say(PEOPLE.megan, `show ${ALL_GROUPS}`, CHANNEL)))
    .toBe("This channel is shared with the whole team, so here I only show and act on the reviews of the team's own group. Send `show` and the review's name to me in personal chat.");
  expect(textOf(await bot.say(PEOPLE.megan, `show ${ID}`, { kind: 'groupChat' }))).toMatch(/works only in personal chat with me or team channels/);
});
