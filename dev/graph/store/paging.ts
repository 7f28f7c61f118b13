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

/** What the reads of one query learned while the database did not change: its count, and `seq` at offsets. */
interface QueryMemo {
  count?: number;
  /** offset → the `seq` of the row just before it (rows from that offset on have a greater `seq`). */
  seqBefore: Map<number, number>;
}
const MEMO_QUERIES = 64;
const MEMO_OFFSETS = 10_000;
const memos = new WeakMap<Db, { changes: number; queries: Map<string, QueryMemo> }>();

/**
 * The memo of one query (its SQL and parameters), emptied whenever any row of the database changed since (SQLite's
 * `total_changes()` of this connection, the only one). It spares a `$skip` page the walk over every row before it and
 * each page the full count: without it, 1,000 `$skip` pages over 100,000 decisions cost O(n²).
 */
function memoOf(db: Db, from: string, where: SqlFragment): QueryMemo {
  const { n: changes } = prepared(db, 'SELECT total_changes() AS n').get() as { n: number };
  let state = memos.get(db);
  if (state === undefined || state.changes !== changes) {
    state = { changes, queries: new Map() };
    memos.set(db, state);
  }
  const key = `${from}\u0000${where.sql}\u0000${JSON.stringify(where.params)}`;
  let memo = state.queries.get(key);
  if (memo === undefined) {
    if (state.queries.size >= MEMO_QUERIES) state.queries.delete(state.queries.keys().next().value as string);
    memo = { seqBefore: new Map() };
    state.queries.set(key, memo);
  }
  return memo;
}

/** The known offset nearest at or before `skip`, and the `seq` just before it (none: from the start). */
function nearestOffset(memo: QueryMemo, skip: number): { offset: number; seqBefore: number } {
  const exact = memo.seqBefore.get(skip);
  if (exact !== undefined) return { offset: skip, seqBefore: exact };
  let best = { offset: 0, seqBefore: -1 };
  for (const [offset, seqBefore] of memo.seqBefore) if (offset <= skip && offset > best.offset) best = { offset, seqBefore };
  return best;
}

/**
 * One page of `SELECT <columns> FROM <from> WHERE <where>` in `seq` order. Paging is by keyset
 * (`seq > after`), so the cost of a page does not grow with its position; `$skip` is an offset on top, started from
 * the nearest offset an earlier page of the same query reached while nothing changed.
 */
export function pageRows<T>(db: Db, query: { columns: string; from: string; where: SqlFragment; seq: string }, paging: Paging): Page<T & { seq: number }> {
  const limit = Math.min(paging.top, Number.MAX_SAFE_INTEGER - 1) + 1;
  const memo = memoOf(db, query.from, query.where);
  if (paging.withCount === true && memo.count === undefined) memo.count = countRows(db, query.from, query.where);
  const count = paging.withCount === true ? memo.count : undefined;
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
  const start = paging.after === undefined ? nearestOffset(memo, paging.skip) : { offset: 0, seqBefore: paging.after };
  const rows = prepared(db, sql).all(...query.where.params, start.seqBefore, limit, paging.skip - start.offset) as Array<T & { seq: number }>;
  const more = rows.length > paging.top;
  const items = more ? rows.slice(0, paging.top) : rows;
  const last = items[items.length - 1];
  if (paging.after === undefined && last !== undefined && memo.seqBefore.size < MEMO_OFFSETS) memo.seqBefore.set(paging.skip + items.length, last.seq);
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
