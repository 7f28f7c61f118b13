/**
 * `$filter` values for the Graph client. graph-client 3.0.7 writes `.filter(value)` (and `.query()`) into the
 * URL as given, without encoding: an `&` in a group name started a new query option, `#` cut the rest off as a
 * fragment, `+` reached Graph as a space and a typed `%27` as a quote that closed the string literal. So every
 * value is an OData string literal (quotes doubled) inside an expression that is percent-encoded as a whole.
 */
import { wellFormed } from '../userText';

/** A `$filter` value made by {@link odataFilter} (percent-encoded), the only kind the bot passes to `.filter()`. */
export type EncodedFilter = string & { readonly encodedFilter: unique symbol };

/** A value for an OData literal: one string, or a list (written `'a','b'` for `in (…)`). */
export type ODataValue = string | readonly string[];


/** OData string literal: the text in single quotes, each quote inside doubled. */
export const odataString = (text: string): string => `'${wellFormed(text).replace(/'/g, "''")}'`;

/**
 * A `$filter` option value ready for `GraphRequest.filter()`: the template's text as written, each
 * interpolated value as a string literal (a list as comma-separated literals), the whole percent-encoded.
 *
 *     request.filter(odataFilter`startswith(displayName,${text})`)
 */
export function odataFilter(parts: TemplateStringsArray, ...values: readonly ODataValue[]): EncodedFilter {
  const expression = parts.reduce((text, part, index) => {
    const value = values[index - 1];
    const rendered = value === undefined ? '' : typeof value === 'string' ? odataString(value) : value.map(odataString).join(',');
    return `${text}${rendered}${part}`;
  });
  return encodeURIComponent(wellFormed(expression)) as EncodedFilter;
}
