import fc from 'fast-check';
import type { DecideFilter } from '../../../cards/decide';
import type { ReviewerItem } from '../../../bot/graph/apis';
import {
  BULK_KINDS, MAX_BULK_COUNT, MAX_PAGE, buildDecideArgs, bulkDecision, decideArgs, parseDecideArgs, type BulkKind, type CardTarget, type DecideStep,
} from '../../../bot/features/decideArgs';

/**
 * The decision card's args grammar (bot/features/decideArgs.ts): any string is parsed or rejected, never thrown on;
 * what the bot builds reads back as itself; the bulk steps; which items each bulk choice records.
 */

const FILTERS: readonly DecideFilter[] = ['all', 'undecided', 'recommendedDeny', 'guests'];
const ID = /^[\w.-]{1,100}$/;
const id = fc.stringMatching(/^[\w.-]{1,100}$/);
const step: fc.Arbitrary<DecideStep> = fc.oneof(
  fc.constant<DecideStep>({ kind: 'show' }),
  fc.constant<DecideStep>({ kind: 'submit' }),
  fc.constantFrom(...BULK_KINDS).map((bulk): DecideStep => ({ kind: 'bulk', bulk })),
  fc.record({ bulk: fc.constantFrom(...BULK_KINDS), count: fc.integer({ min: 0, max: MAX_BULK_COUNT }) }).map((s): DecideStep => ({ kind: 'confirm', ...s })),
);
const target: fc.Arbitrary<CardTarget> = fc.record({
  definitionId: id, instanceId: id, filter: fc.constantFrom(...FILTERS), page: fc.integer({ min: 0, max: MAX_PAGE }), step,
});
/** Near misses: the grammar's own tokens in any order, with stray spaces, digits and separators. */
const tokens = fc.array(fc.constantFrom('@', '/', 'def-1', 'inst.2', ' ', '  ', 'all', 'undecided', 'recommendedDeny', 'guests', '0', '10000', '1234567',
  'submit', 'bulk:', 'confirm:', 'approveRecommended', 'denyRecommended', 'acceptRecommendations', 'accept', ':', '999999', '\n', '\u2060', '$', '{'), { maxLength: 14 })
  .map((parts) => parts.join(''));

/** What every accepted args string must come to. */
function wellFormed(parsed: CardTarget): void {
  expect(parsed.definitionId).toMatch(ID);
  expect(parsed.instanceId).toMatch(ID);
  expect(FILTERS).toContain(parsed.filter);
  expect(Number.isInteger(parsed.page) && parsed.page >= 0 && parsed.page <= MAX_PAGE).toBe(true);
  if (parsed.step.kind === 'bulk' || parsed.step.kind === 'confirm') expect(BULK_KINDS).toContain(parsed.step.bulk);
  if (parsed.step.kind === 'confirm') expect(Number.isInteger(parsed.step.count) && parsed.step.count >= 0 && parsed.step.count <= MAX_BULK_COUNT).toBe(true);
}

test('any string: parsed into a well-formed target or rejected, never thrown on', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), tokens, target.map(buildDecideArgs).map((s) => `${s} `)), (text) => {
    const parsed = parseDecideArgs(text);
    if (parsed !== undefined) wellFormed(parsed);
  }), { numRuns: 2000 });
});

test('round trip: what the bot builds parses back to the same target, and builds to the same string again', () => {
  fc.assert(fc.property(target, (t) => {
    const args = buildDecideArgs(t);
    expect(parseDecideArgs(args)).toEqual(t);
    expect(buildDecideArgs(parseDecideArgs(args) as CardTarget)).toBe(args);
  }), { numRuns: 2000 });
});

test('the grammar by example', () => {
  expect(decideArgs('d', 'i')).toBe('@d/i undecided 0');
  expect(decideArgs('d', 'i', 'guests', 3, true)).toBe('@d/i guests 3 submit');
  expect(parseDecideArgs('@d/i')).toEqual({ definitionId: 'd', instanceId: 'i', filter: 'undecided', page: 0, step: { kind: 'show' } });
  expect(parseDecideArgs(' @d/i all 2 bulk:denyRecommended ')).toEqual({ definitionId: 'd', instanceId: 'i', filter: 'all', page: 2, step: { kind: 'bulk', bulk: 'denyRecommended' } });
  expect(parseDecideArgs('@d/i undecided 0 confirm:acceptRecommendations:2500')?.step).toEqual({ kind: 'confirm', bulk: 'acceptRecommendations', count: 2500 });
  expect(parseDecideArgs('@d/i undecided 999999')?.page).toBe(MAX_PAGE);
  for (const rejected of [
    '@d/i undecided 0 confirm:approveRecommended', '@d/i undecided 0 bulk:approve', '@d/i undecided 0 submit bulk:denyRecommended',
    '@d/i undecided 0 confirm:denyRecommended:1234567', '@d/i undecided 0 confirm:denyRecommended:-1', '@d/i  undecided', '@d i', 'Sales Team review',
    '@d/i undecided 0 bulk:approveRecommended:5', `@${'x'.repeat(101)}/i`, '@d/i\nundecided',
  ]) expect(parseDecideArgs(rejected)).toBeUndefined();
  // Out-of-range numbers given to the builder are clamped, never written as something the parser refuses.
  expect(buildDecideArgs({ definitionId: 'd', instanceId: 'i', filter: 'all', page: -4, step: { kind: 'confirm', bulk: 'approveRecommended', count: 10_000_000 } }))
    .toBe('@d/i all 0 confirm:approveRecommended:999999');
});

test('bulkDecision: undecided items with the matching recommendation only', () => {
  const item = (decision: string | null, recommendation: string | null): ReviewerItem => ({
    id: 'x', decision, recommendation, justification: null, resourceId: null,
    principal: { id: null, displayName: null, userPrincipalName: null, type: 'user', lastUserSignInDateTime: null },
  });
  const table = (kind: BulkKind): Array<string | undefined> => [
    item('NotReviewed', 'Approve'), item('NotReviewed', 'Deny'), item('NotReviewed', 'NoInfoAvailable'), item(null, 'Approve'), item('Approve', 'Approve'),
    item('Deny', 'Deny'), item('DontKnow', 'Approve'), item('NotReviewed', null),
  ].map((i) => bulkDecision(kind, i));
  expect(table('approveRecommended')).toEqual(['Approve', undefined, undefined, 'Approve', undefined, undefined, undefined, undefined]);
  expect(table('denyRecommended')).toEqual([undefined, 'Deny', undefined, undefined, undefined, undefined, undefined, undefined]);
  expect(table('acceptRecommendations')).toEqual(['Approve', 'Deny', undefined, 'Approve', undefined, undefined, undefined, undefined]);
});
