import { renderExportProgressCard, unescapeCardText } from '../../cards';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';
import { ofType } from './cardNodes';

const HOSTILE = 'Sales ${x} **bold** _it_ "quoted" <b>tag</b> {{DATE(2024-01-01T00:00:00Z, SHORT)}} ${{y}}';

test('the export progress card: valid 1.5, the numbers in words, names as TextRuns, small whatever the review names', () => {
  const card = renderExportProgressCard({
    title: 'Collecting decisions…', reviewNames: Array.from({ length: 500 }, (_, i) => `${HOSTILE} ${i} ${'L'.repeat(5000)}`),
    reviewsRead: 12, reviewsTotal: 500, pagesRead: 1234, rows: 123_456, note: '',
  });
  expect(validateCard(card)).toEqual([]);
  expect(card.version).toBe('1.5');
  const json = JSON.stringify(card);
  expect(json).not.toContain('${');
  expect(Buffer.byteLength(json)).toBeLessThan(MAX_CARD_BYTES / 4);
  expect(json).toContain('12 of 500');
  expect(json).toContain('1,234');
  expect(json).toContain('123,456');
  expect(json).toContain('and 490 more');
  const [names] = ofType(card, 'TextRun');
  expect(unescapeCardText(String(names?.text)).startsWith(HOSTILE.slice(0, 60))).toBe(true);
  expect(ofType(card, 'TextBlock').map((block) => block.text)).toEqual(['Collecting decisions…']);
});

test('a note is shown when there is one', () => {
  const card = renderExportProgressCard({ title: 'Decisions collected', reviewNames: ['A'], reviewsRead: 1, reviewsTotal: 1, pagesRead: 2, rows: 3, note: 'Press Allow.' });
  expect(ofType(card, 'TextBlock').map((block) => block.text)).toEqual(['Decisions collected', 'Press Allow.']);
});
