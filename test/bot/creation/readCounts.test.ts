import { readCounts } from '../../../bot/creation/confirmation';
import { AppError, isAppError } from '../../../bot/errors';
import { completeSettings } from '../../../reviews/defaults';
import type { ScopeCounts } from '../../../reviews/impact';
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
const counts = (scope: ReviewScope, reviewers?: ReviewerChoice) => readCounts(tenant.forUser(IDS.adele).directory, settingsFor(scope, reviewers), ADELE);

test.each<[string, ReviewScope, ReviewerChoice, ScopeCounts, FakeMethod[]]>([
  ['members, owners review', { kind: 'members', group: SALES }, { kind: 'owners' },
    { principals: 4, guests: 2, owners: 2, requesterInScope: true }, ['countGroupUsers', 'countGroupUsers', 'countGroupOwners', 'isInGroup']],
  ['members, self review', { kind: 'members', group: FINANCE }, { kind: 'self' },
    { principals: 2, guests: 1, owners: undefined, requesterInScope: false }, ['countGroupUsers', 'countGroupUsers', 'isInGroup']],
  ['guests, owners review', { kind: 'guests', group: SALES }, { kind: 'owners' },
    { principals: 2, guests: 2, owners: 2, requesterInScope: false }, ['countGroupUsers', 'countGroupOwners']],
  ['guests, managers review', { kind: 'guests', group: FINANCE }, { kind: 'managers' },
    { principals: 1, guests: 1, owners: undefined, requesterInScope: false }, ['countGroupUsers']],
  ['inactive users, owners review', { kind: 'inactive', group: SALES, inactiveDays: 30 }, { kind: 'owners' },
    { principals: 4, guests: 2, owners: 2, requesterInScope: true }, ['countGroupUsers', 'countGroupUsers', 'countGroupOwners', 'isInGroup']],
  ['guests of all groups', { kind: 'allGroupsGuests' }, { kind: 'owners' },
    { principals: 2, guests: 2, owners: undefined, requesterInScope: false }, ['countGuests']],
])('%s: the counts, from count calls only', async (_name, scope, reviewers, expected, methods) => {
  expect(await counts(scope, reviewers)).toEqual(expected);
  expect(tenant.methods().sort()).toEqual([...methods].sort());
  expect(tenant.methods().every((method) => COUNTS.has(method))).toBe(true);
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
