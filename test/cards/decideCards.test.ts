import { DECIDE_PAGE, MY_REVIEWS_ROWS, renderDecideCard, renderMyReviewsCard, type DecideCardData } from '../../cards/decide';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';
import { blockTexts, nodes } from './cardNodes';

/**
 * The reviewer's cards (issue 13: "every card ≤ 28 KB, Adaptive Card ≤ 1.5, at any instance size") with hostile and
 * oversized values in every text: valid, within 28 KB, nothing left to bind, every choice and button kept.
 */

const HOSTILE = '${name} {{DATE(2020-01-01T00:00:00Z)}} **bold** [link](https://evil.test) <b>x</b> ';
const KINDS = { hostile: HOSTILE, quotes: '"\\"\\\\ ', cjk: '審査の理由', emoji: '🔥👩‍💻', control: '\u0001\u0007\u001b\u2028\t' };
const long = (text: string, length = 6000): string => text.repeat(Math.ceil(length / text.length)).slice(0, length);
const bytes = (card: object): number => Buffer.byteLength(JSON.stringify(card), 'utf8');
const ARGS = `@${'d'.repeat(80)}/${'i'.repeat(80)} recommendedDeny 9999`;

function decideOf(text: string, extra: Partial<DecideCardData> = {}): DecideCardData {
  return {
    title: long(text), run: long(text), standing: long(text), notice: long(text, 20_000), noticeIsWarning: true, itemsTitle: long(text), emptyText: long(text),
    items: Array.from({ length: 25 }, (_, n) => ({
      itemId: `${'x'.repeat(90)}-${n}`, name: long(text), kind: long(text), reason: long(text), recorded: long(text), pending: n % 2 === 0 ? 'Deny' : '',
    })),
    justificationRequired: true, footer: long(text), owner: 'aaaaaaaa-0000-4000-8000-000000000003',
    previous: ARGS, next: ARGS, submit: `${ARGS.slice(0, 190)} submit`, submitTitle: long(text), filter: 'guests',
    filters: { all: ARGS, undecided: ARGS, recommendedDeny: ARGS, guests: ARGS },
    bulk: { approveRecommended: ARGS, denyRecommended: ARGS, acceptRecommendations: ARGS },
    ...extra,
  };
}

describe.each(Object.entries(KINDS))('text of kind %s', (_kind, text) => {
  test('the decision card: valid, within 28 KB, 10 choices, every button', () => {
    for (const data of [decideOf(text), decideOf(text, { bulk: undefined, confirm: { title: long(text), args: ARGS, back: ARGS, justification: long(text) } })]) {
      const card = renderDecideCard(data);
      expect(validateCard(card)).toEqual([]);
      expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      expect(JSON.stringify(card)).not.toMatch(/\$\{(?!\u2060)/);
      expect(nodes(card).filter((n) => n.type === 'Input.ChoiceSet')).toHaveLength(DECIDE_PAGE);
      expect(nodes(card).filter((n) => n.type === 'Action.Execute').every((n) => (n.data as { for?: unknown }).for === 'aaaaaaaa-0000-4000-8000-000000000003')).toBe(true);
    }
  });

  test('my reviews: valid, within 28 KB, a Start button per row shown', () => {
    const card = renderMyReviewsCard({
      title: long(text), subtitle: long(text), emptyText: long(text), more: long(text), footer: long(text), owner: 'owner-id',
      rows: Array.from({ length: 40 }, () => ({ name: long(text), details: long(text), owed: long(text), args: ARGS, start: long(text) })),
    });
    expect(validateCard(card)).toEqual([]);
    expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(nodes(card).filter((n) => n.type === 'Action.Execute')).toHaveLength(MY_REVIEWS_ROWS);
  });
});

test('short texts are kept whole; a closed card (no Submit) has no choices', () => {
  const open = renderDecideCard(decideOf('a', { items: [{ itemId: 'i-1', name: 'Guest A', kind: ' · Guest', reason: 'Deny recommended', recorded: '', pending: 'Deny' }] }));
  expect(blockTexts(open)).toContain('Guest A · Guest');
  expect(nodes(open).find((n) => n.type === 'Input.ChoiceSet')).toMatchObject({ id: 'choice:i-1', value: 'Deny' });
  const closed = renderDecideCard(decideOf('a', { submit: '', bulk: undefined, items: [{ itemId: 'i-1', name: 'Guest A', kind: '', reason: 'r', recorded: 'Recorded: Deny', pending: 'Deny' }] }));
  expect(nodes(closed).filter((n) => n.type === 'Input.ChoiceSet' || n.type === 'Input.Text')).toEqual([]);
  expect(() => renderDecideCard(decideOf('a', { next: 'y'.repeat(201) }))).toThrow(/args longer/);
});
