import fc from 'fast-check';
import { CSV_BOM, csvCell, csvLine } from '../../reviews/csv';
import { parseCsv } from '../support/csvParse';

const FORMULA_START = /^[=+\-@\t\r]/;
/** What a cell is expected to read as once parsed: the text, with an apostrophe before a formula start. */
const expected = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);
/** Text rich in what CSV and spreadsheets care about. */
const risky = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' ', 'a', 'Z', '0', 'é', '😀', ';') });
const cellText = fc.oneof(risky, fc.string(), fc.string({ unit: 'grapheme' }));

test('a line of any cells reads back as those cells (RFC 4180), formula starts neutralised', () => {
  fc.assert(fc.property(fc.array(cellText, { minLength: 1, maxLength: 8 }), (cells) => {
    const line = csvLine(cells);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsv(line)).toEqual([cells.map(expected)]);
  }), { numRuns: 500 });
});

test('many lines read back as as many records, whatever the cells hold', () => {
  fc.assert(fc.property(fc.array(fc.array(cellText, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 20 }), (rows) => {
    expect(parseCsv(rows.map(csvLine).join(''))).toEqual(rows.map((row) => row.map(expected)));
  }));
});

test('no parsed cell starts with a character a spreadsheet reads as a formula', () => {
  fc.assert(fc.property(cellText, (text) => {
    const [[cell]] = parseCsv(csvLine([text])) as [[string]];
    expect(FORMULA_START.test(cell)).toBe(false);
  }), { numRuns: 1000 });
});

test('a cell is quoted exactly when it holds a quote, a comma or a line break', () => {
  fc.assert(fc.property(cellText, (text) => {
    const encoded = csvCell(text);
    expect(encoded.startsWith('"')).toBe(/[",\r\n]/.test(expected(text)));
  }));
});

test('the examples: HYPERLINK, a leading minus, quotes, commas, line breaks, empty values', () => {
  expect(csvCell('=HYPERLINK("https://evil.example","Click")')).toBe('"\'=HYPERLINK(""https://evil.example"",""Click"")"');
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('-1+2')).toBe("'-1+2");
  expect(csvCell('\t=1')).toBe("'\t=1");
  expect(csvCell('\r=1')).toBe('"\'\r=1"');
  expect(csvCell('Sales, EMEA')).toBe('"Sales, EMEA"');
  expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  expect(csvCell('plain text')).toBe('plain text');
  expect(csvCell(null)).toBe('');
  expect(csvCell(undefined)).toBe('');
  expect(csvCell('\uD800x')).toBe('\uFFFDx');
  expect(CSV_BOM).toBe('\uFEFF');
});
