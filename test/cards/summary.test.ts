import { renderSummaryCard, renderSummaryDigestCard, SUMMARY_LIMITS, type SummaryCardData } from '../../cards/summary';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';
import { blockTexts, nodes } from './cardNodes';

/** The summary card and the digest (issue 12, item 1) with hostile and oversized values: valid, ≤ 28 KB, nothing left to bind. */

const HOSTILE = '${name} {{DATE(2020-01-01T00:00:00Z)}} **bold** [link](https://evil.test) <b>x</b> ';
const KINDS = { hostile: HOSTILE, quotes: '"\\"\\\\ ', cjk: '審査の理由', emoji: '🔥👩‍💻', control: '\u0001\u0007\u001b\u2028\t' };
const long = (text: string, length = 6000): string => text.repeat(Math.ceil(length / text.length)).slice(0, length);
const bytes = (card: object): number => Buffer.byteLength(JSON.stringify(card), 'utf8');

function summaryOf(text: string): SummaryCardData {
  return {
    id: 'x'.repeat(128), title: long(text), lines: Array.from({ length: 20 }, () => ({ label: long(text), value: long(text) })),
    progress: { reviewed: 75_000, total: 100_000, text: long(text) },
    decisions: Array.from({ length: 9 }, () => ({ label: long(text), value: long(text) })),
    facts: Array.from({ length: 20 }, () => ({ label: long(text), value: long(text) })),
    waiting: Array.from({ length: 40 }, (_, n) => `${n} ${long(text, 500)}`), footer: long(text),
    actions: Array.from({ length: 6 }, () => ({ title: long(text), verb: 'reviews.decisions' as const, args: 'y'.repeat(200) })),
  };
}

describe.each(Object.entries(KINDS))('text of kind %s', (_kind, text) => {
  test('the summary card', () => {
    const card = renderSummaryCard(summaryOf(text));
    expect(validateCard(card)).toEqual([]);
    expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(JSON.stringify(card)).not.toMatch(/\$\{(?!\u2060)/);
    // Limits kept: 8 lines, 5 tiles, Refresh + 3 buttons.
    expect(nodes(card).filter((n) => n.type === 'Action.Execute')).toHaveLength(1 + SUMMARY_LIMITS.actions);
    // However long the names, the waiting line still says how many more.
    expect(blockTexts(card).filter((line) => /^Waiting on 0 .* and \d+ more$/s.test(line))).toHaveLength(1);
  });

  test('the digest card', () => {
    const card = renderSummaryDigestCard({
      title: long(text), subtitle: long(text), overall: long(text), emptyText: long(text), more: long(text), footer: long(text),
      rows: Array.from({ length: 30 }, () => ({ name: long(text), details: long(text), progress: { reviewed: 1, total: 100_000, text: long(text) }, args: 'z'.repeat(200) })),
    });
    expect(validateCard(card)).toEqual([]);
    expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(nodes(card).filter((n) => n.type === 'Action.Execute' && n.title === 'Summary')).toHaveLength(SUMMARY_LIMITS.digestRows);
  });
});

test('the check can fail: the same card with its texts unclipped is refused', () => {
  const card = renderSummaryCard(summaryOf(KINDS.control)) as { body: object[] };
  const grown = { ...card, body: [...card.body, { type: 'TextBlock', text: long(KINDS.control, MAX_CARD_BYTES), wrap: true }] };
  expect(validateCard(grown)).toContainEqual(expect.stringMatching(/over 28672/));
});

test('short texts are kept whole; no run: the note instead of the numbers; the bar\'s parts as weighted columns', () => {
  const card = renderSummaryCard({ id: 'id', title: 'T', lines: [{ label: 'What', value: 'Guests of Sales Team' }], noRun: 'No run yet.',
    decisions: [], facts: [], waiting: [], footer: 'Updated', actions: [] });
  expect(blockTexts(card)).toEqual(['T', 'What', 'Guests of Sales Team', 'No run yet.', 'Updated']);
  const digest = renderSummaryDigestCard({ title: 'A', subtitle: 'B', overall: '', emptyText: 'None', more: '', footer: 'F', rows: [
    { name: 'R', details: 'D', progress: { reviewed: 0, total: 10, text: '0 of 10 reviewed (0%)' }, args: 'id' },
    { name: 'S', details: 'E', progress: { reviewed: 10, total: 10, text: '10 of 10 reviewed (100%)' }, args: '' },
  ] });
  const bars = nodes(digest).filter((n) => n.type === 'ColumnSet').map((set) => (set.columns as Array<{ width: number; style: string }>).map((c) => `${c.style} ${c.width}`));
  expect(bars).toEqual([['emphasis 100'], ['good 100']]);
  // A row without args has no Summary button.
  expect(nodes(digest).filter((n) => n.type === 'Action.Execute' && n.title === 'Summary')).toHaveLength(1);
  // More rows than shown are counted when the caller gave no "more" text.
  const many = renderSummaryDigestCard({ title: 'A', subtitle: 'B', overall: 'All 13 active reviews: 0 of 0', emptyText: 'None', more: '', footer: 'F',
    rows: Array.from({ length: 13 }, (_, n) => ({ name: `R${n}`, details: 'D', progress: { reviewed: 0, total: 0, text: 'none' }, args: '' })) });
  expect(blockTexts(many)).toContain('…and 3 more');
  // The whole, when given, under the subtitle; none when empty (above).
  expect(blockTexts(many).slice(0, 3)).toEqual(['A', 'B', 'All 13 active reviews: 0 of 0']);
  expect(blockTexts(digest).slice(0, 3)).toEqual(['A', 'B', 'R']);
});

test('bad buttons are refused (a bug, never a card that cannot replay)', () => {
  const base = summaryOf('a');
  expect(() => renderSummaryCard({ ...base, id: 'x'.repeat(129) })).toThrow(/longer than 128/);
  expect(() => renderSummaryCard({ ...base, actions: [{ title: 'x', verb: 'nope' as never, args: 'id' }] })).toThrow(/unknown verb/);
  expect(() => renderSummaryCard({ ...base, actions: [{ title: 'x', verb: 'reviews.decisions', args: 'y'.repeat(201) }] })).toThrow(/args longer/);
  expect(() => renderSummaryDigestCard({ title: '', subtitle: '', overall: '', emptyText: '', more: '', footer: '',
    rows: [{ name: '', details: '', progress: { reviewed: 0, total: 0, text: '' }, args: 'y'.repeat(201) }] })).toThrow(/args longer/);
});
