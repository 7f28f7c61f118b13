import { cursorArgs, parseCursor, previousCursor } from '../../bot/features/listCursor';
import { positionOf } from '../../bot/graph/definitionPages';
import { renderReviewsListCard } from '../../cards';
import { renderDecisionsCard } from '../../cards/decisions';
import { renderReviewDetailsCard } from '../../cards/reviewDetails';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';

/** The cards of `reviews` (paged), `show` and `decisions` with hostile, oversized data; and the list's page cursor. */

const HOSTILE = '${name} {{DATE(2020-01-01T00:00:00Z)}} **bold** [link](https://evil.test) <b>x</b>';
const LONG = 'x'.repeat(5000);
const bytes = (card: object): number => Buffer.byteLength(JSON.stringify(card));

test('hostile and oversized values: valid, within 28 KB, no binding left', () => {
  const list = renderReviewsListCard({
    filter: 'active',
    reviews: Array.from({ length: 30 }, () => ({ displayName: HOSTILE + LONG, reviewedScope: LONG, status: LONG, recurrence: LONG, reviewers: LONG, currentRun: LONG,
      actions: [{ title: LONG, verb: 'reviews.show' as const, args: 'id' }, { title: 'Decisions', verb: 'reviews.decisions' as const, args: 'id' }] })),
    paging: { page: 3, previous: { title: 'Previous', verb: 'reviews.list', args: 'active page 2 5s100' }, next: { title: 'Next', verb: 'reviews.list', args: 'active page 4 5s100 0s200' } },
  });
  const details = renderReviewDetailsCard({
    id: 'id', name: HOSTILE + LONG, summary: LONG, lines: Array.from({ length: 40 }, () => ({ label: LONG, value: HOSTILE + LONG })), runsTitle: 'Runs',
    runs: Array.from({ length: 40 }, () => ({ title: HOSTILE, status: LONG, dates: LONG, progress: LONG, waiting: LONG })), moreRuns: LONG,
    actions: ['Decisions', 'Send reminder', 'Stop', 'Apply decisions', LONG].map((title) => ({ title, verb: 'reviews.stop' as const, args: 'x'.repeat(128) })),
  });
  const decisions = renderDecisionsCard({
    title: HOSTILE + LONG, run: LONG, counts: Array.from({ length: 20 }, () => ({ label: LONG, value: LONG })), itemsTitle: 'Items', emptyText: 'none',
    items: Array.from({ length: 30 }, () => ({ principal: HOSTILE + LONG, kind: LONG, decision: LONG, justification: HOSTILE + LONG, outcome: LONG, automatic: LONG })),
    footer: LONG, previous: 'id page 1', next: 'id page 3',
  });
  for (const card of [list, details, decisions]) {
    expect(validateCard(card)).toEqual([]);
    expect(bytes(card)).toBeLessThan(MAX_CARD_BYTES);
    expect(JSON.stringify(card)).not.toMatch(/\$\{(?!\u2060)/);
  }
  expect(() => renderDecisionsCard({ title: '', run: '', counts: [], itemsTitle: '', emptyText: '', items: [], footer: '', previous: LONG, next: '' })).toThrow(/args longer/);
});

describe('the reviews list page cursor (card data: untrusted)', () => {
  test('a Graph nextLink gives its $skiptoken or $skip; anything else is no position', () => {
    expect(positionOf('http://127.0.0.1:3982/v1.0/identityGovernance/accessReviews/definitions?$top=100&$skiptoken=azEyMw')).toEqual({ offset: 0, skiptoken: 'azEyMw' });
    expect(positionOf('https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions?$top=100&$skip=200')).toEqual({ offset: 0, skip: 200 });
    expect(positionOf('https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions?$top=100')).toBeUndefined();
    expect(positionOf(`https://graph.microsoft.com/v1.0/x?$skiptoken=${'a'.repeat(500)}`)).toBeUndefined();
  });

  test('args round-trip; the oldest positions are dropped to fit 200 characters, and Previous then goes to the first page', () => {
    const cursor = { page: 4, positions: [{ offset: 5, skip: 100 }, { offset: 0, skiptoken: 'abc' }, { offset: 12 }] };
    const args = cursorArgs('active', cursor) ?? '';
    expect(args).toBe('active page 4 5s100 0tabc 12');
    expect(parseCursor(args.split(' ').slice(2))).toEqual(cursor);
    expect(previousCursor(cursor)).toEqual({ cursor: { page: 3, positions: cursor.positions.slice(0, 2) }, first: false });
    const long = { page: 30, positions: Array.from({ length: 29 }, (_, n) => ({ offset: 0, skiptoken: `token${String(n).padStart(3, '0')}` })) };
    const trimmed = cursorArgs('all', long) ?? '';
    expect(trimmed.length).toBeLessThanOrEqual(200);
    const kept = parseCursor(trimmed.split(' ').slice(2));
    expect(kept?.positions.at(-1)).toEqual({ offset: 0, skiptoken: 'token028' });
    expect(previousCursor({ page: 30, positions: kept?.positions.slice(-1) ?? [] })).toEqual({ cursor: undefined, first: true });
    expect(cursorArgs('all', { page: 2, positions: [{ offset: 0, skiptoken: 'a'.repeat(190) }] })).toBeUndefined();
  });

  test.each([['2'], ['1', '5'], ['2', '100'], ['2', '5s-1'], ['2', '5', '6'], ['x', '5'], ['2', '5t<b>']])('refused: page %s', (...words) => {
    expect(parseCursor(words)).toBeUndefined();
  });
});
