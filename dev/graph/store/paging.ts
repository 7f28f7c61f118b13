import type { Statement } from 'better-sqlite3';
import type { SqlFragment } from '../filter';
import type { Page } from '../odata';
import type { Db } from './db';

const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, cached per database (statements are reused on every request). */
export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

export interface Paging {
  top: number;
  skip: number;
  /** Keyset position (rows in `seq` order): the last `seq` of the previous page. */
  after: number | undefined;
  /** `$orderby` as SQL: rows in that order, paged by offset instead of keyset. */
  orderBy?: string;
  /** Offset position of an ordered list (from the previous page's `$skiptoken`). */
  offset?: number;
  /** Also count every matching row (`@odata.count`). */
  withCount?: boolean;
}

export const ALL: Paging = { top: Number.MAX_SAFE_INTEGER, skip: 0, after: undefined };
export const TRUE_SQL: SqlFragment = { sql: '1', params: [] };

/**
 * One page of `SELECT <columns> FROM <from> WHERE <where>` in `seq` order. Paging is by keyset
 * (`seq > after`), so the cost of a page does not grow with its position; `$skip` is an offset on top.
 */
export function pageRows<T>(db: Db, query: { columns: string; from: string; where: SqlFragment; seq: string }, paging: Paging): Page<T & { seq: number }> {
  const limit = Math.min(paging.top, Number.MAX_SAFE_INTEGER - 1) + 1;
  const count = paging.withCount === true ? countRows(db, query.from, query.where) : undefined;
  if (paging.orderBy !== undefined || paging.offset !== undefined) {
    // An ordered list cannot page by seq: its $skiptoken carries the offset of the next row.
    const start = (paging.offset ?? 0) + paging.skip;
    const sql = `SELECT ${query.columns}, ${query.seq} AS seq FROM ${query.from} WHERE ${query.where.sql}
      ORDER BY ${paging.orderBy ?? query.seq}, ${query.seq} LIMIT ? OFFSET ?`;
    const rows = prepared(db, sql).all(...query.where.params, limit, start) as Array<T & { seq: number }>;
    const more = rows.length > paging.top;
    const items = more ? rows.slice(0, paging.top) : rows;
    return { items, moreAfter: undefined, nextOffset: more ? start + items.length : undefined, count };
  }
  const sql = `SELECT ${query.columns}, ${query.seq} AS seq FROM ${query.from} WHERE ${query.where.sql} AND ${query.seq} > ?
    ORDER BY ${query.seq} LIMIT ? OFFSET ?`;
  const rows = prepared(db, sql).all(...query.where.params, paging.after ?? -1, limit, paging.skip) as Array<T & { seq: number }>;
  const more = rows.length > paging.top;
  const items = more ? rows.slice(0, paging.top) : rows;
  return { items, moreAfter: more ? items[items.length - 1]?.seq : undefined, count };
}

/** `SELECT count(*) FROM <from> WHERE <where>`. */
export function countRows(db: Db, from: string, where: SqlFragment): number {
  const row = prepared(db, `SELECT count(*) AS n FROM ${from} WHERE ${where.sql}`).get(...where.params) as { n: number };
  return row.n;
}

export const and = (...parts: SqlFragment[]): SqlFragment => ({
  sql: parts.map((p) => `(${p.sql})`).join(' AND ') || '1',
  params: parts.flatMap((p) => p.params),
});
