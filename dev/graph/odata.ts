import { badRequest } from './errors';
import { parseFilter, type FilterNode } from './filter';

/** Largest (and default) page of every list endpoint, as on Graph's access-review lists. */
export const MAX_PAGE_SIZE = 100;

export interface ODataQuery {
  top: number;
  skip: number;
  /** Keyset position: the last `seq` of the previous page. */
  after: number | undefined;
  /** Offset position of an ordered list: where the previous page stopped. */
  offset: number | undefined;
  select: string[] | undefined;
  filter: FilterNode | undefined;
  count: boolean;
}

const UNSUPPORTED = ['$orderby', '$expand', '$search', '$format', '$levels'];

/** Reads the OData query options of a request. `allowFilter` false turns `$filter` into a 400. */
export function parseODataQuery(params: URLSearchParams, options: { allowFilter?: boolean } = {}): ODataQuery {
  for (const name of UNSUPPORTED) {
    if (params.has(name)) {
      throw badRequest(`The query option '${name}' is not supported on this request by the local Graph emulator.`, 'NotSupported');
    }
  }
  const int = (name: string): number | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value '${raw}' for query option '${name}'.`);
    return Number(raw);
  };
  const filterText = params.get('$filter');
  if (filterText !== null && options.allowFilter === false) {
    throw badRequest("The query option '$filter' is not supported on this request.", 'NotSupported');
  }
  const selectText = params.get('$select');
  const token = decodeSkipToken(params.get('$skiptoken'));
  return {
    top: Math.min(int('$top') ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    skip: int('$skip') ?? 0,
    after: token?.kind === 'k' ? token.value : undefined,
    offset: token?.kind === 'o' ? token.value : undefined,
    select: selectText === null ? undefined : selectText.split(',').map((s) => s.trim()).filter(Boolean),
    filter: filterText === null ? undefined : parseFilter(filterText),
    count: params.get('$count')?.toLowerCase() === 'true',
  };
}

/** A `$skiptoken`: `k` + the last `seq` of a keyset page, or `o` + the offset of the next row of an ordered list. */
export function decodeSkipToken(token: string | null): { kind: 'k' | 'o'; value: number } | undefined {
  if (token === null) return undefined;
  const match = /^([ko])(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw badRequest(`Invalid $skiptoken '${token}'.`, 'InvalidSkipToken');
  return { kind: match[1] === 'o' ? 'o' : 'k', value: Number(match[2]) };
}

export function encodeSkipToken(lastSeq: number, kind: 'k' | 'o' = 'k'): string {
  return Buffer.from(`${kind}${lastSeq}`, 'utf8').toString('base64url');
}

/** The next page's absolute URL: the same request with `$skiptoken` for the next row and no `$skip`. */
export function nextLink(requestUrl: URL, position: number, kind: 'k' | 'o' = 'k'): string {
  const url = new URL(requestUrl.href);
  for (const key of [...url.searchParams.keys()]) {
    if (['$skip', '$skiptoken'].includes(key.toLowerCase())) url.searchParams.delete(key);
  }
  url.searchParams.set('$skiptoken', encodeSkipToken(position, kind));
  return url.href.replace(/%24/g, '$');
}

/** Keeps only the `$select`ed properties; a property the type does not have is a 400, as on Graph. */
export function project<T extends object>(item: T, select: string[] | undefined, type: string, known: readonly string[]): Partial<T> {
  if (!select) return item;
  const result: Record<string, unknown> = {};
  for (const name of select) {
    const match = known.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!match) throw badRequest(`Could not find a property named '${name}' on type '${type}'.`);
    const value = (item as Record<string, unknown>)[match];
    result[match] = value === undefined ? null : value;
  }
  if ('@odata.type' in item) result['@odata.type'] = (item as Record<string, unknown>)['@odata.type'];
  return result as Partial<T>;
}

export interface Page<T> {
  items: T[];
  /** `seq` of the last item when another page follows. */
  moreAfter: number | undefined;
  /** Ordered lists: the offset of the next row when another page follows. */
  nextOffset?: number;
  /** Every matching row, when counted. */
  count?: number;
}

/** A collection response with `@odata.count` when counted and `@odata.nextLink` when more rows follow. */
export function collection(context: string, page: Page<object>, requestUrl: URL, extra: Record<string, unknown> = {}): object {
  const next = page.nextOffset !== undefined ? nextLink(requestUrl, page.nextOffset, 'o')
    : page.moreAfter !== undefined ? nextLink(requestUrl, page.moreAfter) : undefined;
  return {
    '@odata.context': context,
    ...(page.count === undefined ? {} : { '@odata.count': page.count }),
    ...extra,
    ...(next === undefined ? {} : { '@odata.nextLink': next }),
    value: page.items,
  };
}
