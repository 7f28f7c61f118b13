/**
 * CSV cells and lines as RFC 4180 writes them, safe to open in a spreadsheet. Pure.
 *
 * Formula injection: a spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a formula (and a leading tab
 * or carriage return can hide such a start), so a justification such as `=HYPERLINK("https://evil","Click")` would
 * become a live link in the reviewer's Excel. Such a cell gets a leading apostrophe (OWASP's advice): it shows as
 * text and its content stays readable. Quoting comes after, so the apostrophe is inside the quotes.
 */

/** First characters a spreadsheet may read as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell needs quotes when it holds a quote, a comma or a line break (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One cell: lone surrogates replaced, a formula start neutralised, quoted when needed (quotes doubled). */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value).replace(LONE_SURROGATE, '\uFFFD');
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record: its cells joined by commas, ended by CRLF (RFC 4180 §2.1). */
export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Put before the first line: a byte-order mark, so Excel reads the file as UTF-8 (names with accents). */
export const CSV_BOM = '\uFEFF';
