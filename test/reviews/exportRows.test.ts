import { AUTOMATIC, EXPORT_COLUMNS, exportRow } from '../../reviews/exportRows';

const ZERO = '00000000-0000-0000-0000-000000000000';
const review = { id: 'def-1', displayName: 'Sales guests' };
const instance = { id: 'inst-1', startDateTime: '2025-06-01T00:00:00Z', endDateTime: '2025-06-15T00:00:00Z' };
const row = (item: Parameters<typeof exportRow>[2]): Record<string, string> =>
  Object.fromEntries(exportRow(review, instance, item).map((cell, i) => [EXPORT_COLUMNS[i] ?? '', cell]));

test('a decision by a person: who, when, why, and what was applied', () => {
  expect(row({
    id: 'd1', decision: 'Deny', justification: 'Left the company', recommendation: 'Deny', applyResult: 'AppliedSuccessfully',
    reviewedDateTime: '2025-06-03T10:00:00Z', appliedDateTime: '2025-06-16T00:00:00Z',
    reviewedBy: { id: 'u-megan', displayName: 'Megan Bowen' }, appliedBy: { id: ZERO, displayName: 'AAD Access Reviews' },
    principal: { id: 'u-guest', displayName: 'Guest A', type: 'user' },
  })).toEqual({
    Review: 'Sales guests', 'Review id': 'def-1', 'Instance id': 'inst-1', 'Instance start': '2025-06-01T00:00:00Z', 'Instance end': '2025-06-15T00:00:00Z',
    Principal: 'Guest A', 'Principal id': 'u-guest', 'Principal type': 'user', Decision: 'Deny', Justification: 'Left the company',
    Reviewer: 'Megan Bowen', 'Reviewed at': '2025-06-03T10:00:00Z', Recommendation: 'Deny', 'Applied result': 'AppliedSuccessfully',
    'Applied by': AUTOMATIC, 'Applied at': '2025-06-16T00:00:00Z',
  });
});

test('not reviewed yet: no reviewer, no dates; a default decision by the service is marked automatic', () => {
  const pending = row({ id: 'd2', decision: 'NotReviewed', reviewedBy: { id: ZERO, displayName: '' }, reviewedDateTime: '0001-01-01T00:00:00Z',
    principal: { id: 'g1', displayName: 'Ops', '@odata.type': '#microsoft.graph.groupIdentity' } });
  expect(pending).toMatchObject({ Reviewer: '', 'Reviewed at': '', 'Principal type': 'groupIdentity', 'Applied by': '' });
  expect(row({ id: 'd3', decision: 'Approve', reviewedBy: { id: ZERO, displayName: '' } }).Reviewer).toBe(AUTOMATIC);
  expect(row({ id: 'd4' })).toMatchObject({ Principal: '', Decision: '', Reviewer: '' });
});
