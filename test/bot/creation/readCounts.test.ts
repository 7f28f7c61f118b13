import { readCounts } from '../../../bot/creation/confirmation';
import { AppError, isAppError } from '../../../bot/errors';
import { completeSettings } from '../../../reviews/defaults';
import { impactPreview, warningText, type ScopeCounts } from '../../../reviews/impact';
import type { ReviewerChoice, ReviewScope } from '../../../reviews/settings';
import { IDS, smallTenant, type FakeMethod, type FakeTenant } from '../../support/fakeGraph';

/**
 * The confirmation card's impact counts (creation/confirmation readCounts): read as the requester, counts only —
 * the directory interface has no way to list members, and only count calls are made, so a 10,000-member group
 * costs the same. Sales Team: Adele, Megan and two guests; owners Megan and Alex. Finance: Alex and one guest.
 */
const ADELE = { id: IDS.adele, displayName: 'Adele Vance' };
const SALES = { id: IDS.sales, displayName: 'Sales Team' };
const FINANCE = { id: IDS.finance, displayName: 'Finance' };
const COUNTS: ReadonlySet<FakeMethod> = new Set(['countGroupUsers', 'countGroupOwners', 'isInGroup', 'countGuests']);

let tenant: FakeTenant;
beforeEach(() => {
  tenant = smallTenant();
});

const settingsFor = (scope: ReviewScope, reviewers: ReviewerChoice = { kind: 'owners' }) => completeSettings({ scope, reviewers }, ADELE, '2025-06-02');
const counts = (scope: ReviewScope, reviewers?: ReviewerChoice) => readCounts(tenant.forUser(IDS.adele), settingsFor(scope, reviewers), ADELE);

test.each<[string, ReviewScope, ReviewerChoice, ScopeCounts, FakeMethod[]]>([
  ['members, owners review', { kind: 'members', group: SALES }, { kind: 'owners' },
    { principals: 4, guests: 2, owners: 2, requesterInScope: true, existingReviews: [] }, ['countGroupUsers', 'countGroupUsers', 'countGroupOwners', 'isInGroup', 'listDefinitions']],
  ['members, self review', { kind: 'members', group: FINANCE }, { kind: 'self' },
    { principals: 2, guests: 1, owners: undefined, requesterInScope: false, existingReviews: [] }, ['countGroupUsers', 'countGroupUsers', 'isInGroup', 'listDefinitions']],
  ['guests, owners review', { kind: 'guests', group: SALES }, { kind: 'owners' },
    { principals: 2, guests: 2, owners: 2, requesterInScope: false, existingReviews: [] }, ['countGroupUsers', 'countGroupOwners', 'listDefinitions']],
  ['guests, managers review', { kind: 'guests', group: FINANCE }, { kind: 'managers' },
    { principals: 1, guests: 1, owners: undefined, requesterInScope: false, existingReviews: [] }, ['countGroupUsers', 'listDefinitions']],
  ['inactive users, owners review', { kind: 'inactive', group: SALES, inactiveDays: 30 }, { kind: 'owners' },
    { principals: 4, guests: 2, owners: 2, requesterInScope: true, existingReviews: [] }, ['countGroupUsers', 'countGroupUsers', 'countGroupOwners', 'isInGroup', 'listDefinitions']],
  ['guests of all groups', { kind: 'allGroupsGuests' }, { kind: 'owners' },
    { principals: 2, guests: 2, owners: undefined, requesterInScope: false }, ['countGuests']],
])('%s: the counts, from count calls only', async (_name, scope, reviewers, expected, methods) => {
  expect(await counts(scope, reviewers)).toEqual(expected);
  expect(tenant.methods().sort()).toEqual([...methods].sort());
  // Counts only, and the one list of the group's existing reviews (issue 10, item 9).
  expect(tenant.methods().every((method) => COUNTS.has(method) || method === 'listDefinitions')).toBe(true);
  // All as the requester, never as the app.
  expect(new Set(tenant.calls.map((call) => call.as))).toEqual(new Set([IDS.adele]));
});

test('the guest count asks for guests only; membership is asked for the requester', async () => {
  await counts({ kind: 'members', group: SALES }, { kind: 'self' });
  expect(tenant.calls.filter((call) => call.method === 'countGroupUsers').map((call) => call.args)).toEqual([[IDS.sales, false], [IDS.sales, true]]);
  expect(tenant.calls.find((call) => call.method === 'isInGroup')?.args).toEqual([IDS.sales, IDS.adele]);
});

test('a failed count fails the whole preview with its AppError', async () => {
  tenant.failNext('countGroupOwners', new AppError('Forbidden', 'Microsoft Graph refused to count the owners of the group.', { status: 403 }));
  const error = await counts({ kind: 'members', group: SALES }).then(() => undefined, (e: unknown) => e);
  expect(isAppError(error, 'Forbidden')).toBe(true);
});

// Issue 10, item 9: a second review of the same group is named before it is created.
test('the reviews that already cover the group are read with the group\'s filter, and named on the card', async () => {
  tenant.definitions.push({
    id: 'def-sales', displayName: 'Sales Team guests', status: 'InProgress', settings: {},
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user/?$count=true`, queryType: 'MicrosoftGraph' },
  });
  const found = await counts({ kind: 'guests', group: SALES });
  expect(found.existingReviews).toEqual([{ displayName: 'Sales Team guests', status: 'In progress' }]);
  expect(tenant.calls.find((call) => call.method === 'listDefinitions')?.args).toEqual(['all', 10, IDS.sales]);
  expect((await counts({ kind: 'guests', group: FINANCE })).existingReviews).toEqual([]);
  const warnings = impactPreview(settingsFor({ kind: 'guests', group: SALES }), found).warnings.map((w) => warningText(w, settingsFor({ kind: 'guests', group: SALES })));
  expect(warnings).toContain('Sales Team already has a review: "Sales Team guests" (In progress). Check this one is not a duplicate.');
});

test('a user who may not list reviews only loses that warning: the counts still come', async () => {
  tenant.failNext('listDefinitions', new AppError('Forbidden', 'Microsoft Graph refused to list the access reviews.', { status: 403 }));
  expect(await counts({ kind: 'guests', group: SALES })).toEqual({ principals: 2, guests: 2, owners: 2, requesterInScope: false });
});
