import { badRequest, GraphError, notFound } from '../errors';
import { filterToSql, type FilterField, type SqlFragment } from '../filter';
import { collection, parseODataQuery, project, type ODataQuery, type Page } from '../odata';
import type { Emulator, GraphRequest, RouteResult } from '../router';
import { TRUE_SQL } from '../store/paging';

/** The parsed OData options of a list request, its `$filter` as SQL (with the entity's field map). */
export function listOptions(request: GraphRequest, fields: Record<string, FilterField> | undefined, entity: string): ODataQuery & { where: SqlFragment } {
  const query = parseODataQuery(request.query, { allowFilter: fields !== undefined });
  const where = query.filter && fields ? filterToSql(query.filter, fields, entity) : TRUE_SQL;
  if (query.count) requireEventualConsistency(request);
  return { ...query, where };
}

/** Graph counts directory objects only as an advanced query (`ConsistencyLevel: eventual`). */
export function requireEventualConsistency(request: GraphRequest): void {
  if (request.headers.consistencylevel?.toLowerCase() !== 'eventual') {
    throw badRequest('$count is not currently supported without the ConsistencyLevel: eventual header.', 'Request_BadRequest');
  }
}

export const context = (emulator: Emulator, fragment: string): string => `${emulator.baseUrl}/v1.0/$metadata#${fragment}`;

/** A collection page: each row rendered, `$select` applied, `@odata.nextLink` when more follow. */
export function listResult<T>(request: GraphRequest, emulator: Emulator, page: Page<T>, options: {
  context: string; render: (row: T) => Record<string, unknown>; select: string[] | undefined; type: string; known: readonly string[];
  count?: number;
}): RouteResult {
  const items = page.items.map((row) => project(options.render(row), options.select, options.type, options.known));
  return {
    status: 200,
    body: collection(context(emulator, options.context), { items, moreAfter: page.moreAfter, nextOffset: page.nextOffset, count: options.count ?? page.count },
      request.url),
  };
}

/** One entity, `$select` applied (only `$select` is allowed on single entities). */
export function entityResult(request: GraphRequest, emulator: Emulator, entity: Record<string, unknown>, options: {
  context: string; type: string; known: readonly string[];
}): RouteResult {
  const query = parseODataQuery(request.query, { allowFilter: false });
  return { status: 200, body: { '@odata.context': context(emulator, options.context), ...project(entity, query.select, options.type, options.known) } };
}

export const noContent: RouteResult = { status: 204 };

/** A text/plain `$count` answer. */
export const countResult = (n: number): RouteResult => ({ status: 200, body: String(n), headers: { 'content-type': 'text/plain' } });

export function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw notFound(`Resource '${id}' does not exist or one of its queried reference-property objects are not present (${what}).`);
  return value;
}

/** Pages an in-memory list (small lists such as a user's memberships), with the index as keyset. */
export function pageArray<T>(items: T[], options: ODataQuery): Page<T> {
  const start = options.after === undefined ? options.skip : options.after + 1;
  const slice = items.slice(start, start + options.top);
  const more = start + options.top < items.length;
  return { items: slice, moreAfter: more ? start + slice.length - 1 : undefined };
}

export const ensure = (condition: boolean, error: () => GraphError): void => {
  if (!condition) throw error();
};
