import { badRequest } from './errors';

/** The subset of OData `$filter` the emulator understands, as a tree. */
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: CompareOp; path: string; value: Literal }
  | { kind: 'in'; path: string; values: Literal[] }
  | { kind: 'call'; fn: 'startswith' | 'endswith' | 'contains'; path: string; value: string }
  | { kind: 'any'; path: string; op: CompareOp; value: Literal };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

const MAX_DEPTH = 64;
const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['startswith', 'endswith', 'contains']);
const TOKEN =
  /\s*(?:('(?:[^']|'')*')|([(),:])|([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z_$][\w.$-]*(?:\/[A-Za-z_$][\w.$]*)*)|(-?\d+(?:\.\d+)?)(?![\w-]))/y;

type Token = { type: 'string' | 'punct' | 'number' | 'word'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw badRequest(`Invalid filter clause: syntax error at position ${start} in '${text}'.`);
    if (match[1] !== undefined) tokens.push({ type: 'string', text: match[1].slice(1, -1).replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ type: 'punct', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ type: 'word', text: match[3] });
    else tokens.push({ type: 'number', text: match[4] ?? '' });
  }
  return tokens;
}

/** Parses a `$filter` expression; throws a Graph 400 on anything outside the supported subset. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const fail = (what: string): never => {
    throw badRequest(`Invalid filter clause: ${what} in '${text}'.`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const peekPunct = (p: string): boolean => tokens[pos]?.type === 'punct' && tokens[pos]?.text === p;
  let depth = 0;
  const nest = <T>(parse: () => T): T => {
    // Deep nesting is no real filter; refuse it before the recursion does.
    if (++depth > MAX_DEPTH) fail(`the expression is nested deeper than ${MAX_DEPTH} levels`);
    const result = parse();
    depth -= 1;
    return result;
  };
  const next = (): Token => tokens[pos++] ?? fail('unexpected end of expression');
  const expectPunct = (p: string): void => {
    const token = next();
    if (token.type !== 'punct' || token.text !== p) fail(`expected '${p}' but found '${token.text}'`);
  };
  const isWord = (token: Token | undefined, word: string): boolean =>
    token?.type === 'word' && token.text.toLowerCase() === word;

  const literal = (): Literal => {
    const token = next();
    if (token.type === 'string') return token.text;
    if (token.type === 'number') return Number(token.text);
    if (token.type === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true' || lower === 'false') return lower === 'true';
      if (lower === 'null') return null;
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token.text)) return token.text;
    }
    return fail(`'${token.text}' is not a literal`);
  };

  const compareOp = (): CompareOp => {
    const token = next();
    const op = token.text.toLowerCase();
    if (token.type !== 'word' || !COMPARE_OPS.has(op)) fail(`'${token.text}' is not a supported operator`);
    return op as CompareOp;
  };

  const primary = (): FilterNode => {
    const token = next();
    if (token.type === 'punct' && token.text === '(') {
      const inner = nest(orExpr);
      expectPunct(')');
      return inner;
    }
    if (token.type !== 'word') return fail(`unexpected '${token.text}'`);
    const lower = token.text.toLowerCase();
    if (FUNCTIONS.has(lower) && peekPunct('(')) {
      expectPunct('(');
      const path = next();
      if (path.type !== 'word') fail('a property name was expected');
      expectPunct(',');
      const value = literal();
      if (typeof value !== 'string') fail(`${lower} needs a string`);
      expectPunct(')');
      return { kind: 'call', fn: lower as 'startswith', path: path.text, value: value as string };
    }
    const lambda = /^(.*)\/any$/i.exec(token.text);
    if (lambda && peekPunct('(')) {
      expectPunct('(');
      const variable = next();
      if (variable.type !== 'word') fail('a lambda variable was expected');
      expectPunct(':');
      const ref = next();
      if (ref.type !== 'word' || ref.text !== variable.text) fail(`the lambda must compare '${variable.text}'`);
      const op = compareOp();
      const value = literal();
      expectPunct(')');
      return { kind: 'any', path: lambda[1] ?? '', op, value };
    }
    if (isWord(peek(), 'in')) {
      next();
      expectPunct('(');
      const values: Literal[] = [literal()];
      while (peekPunct(',')) {
        next();
        values.push(literal());
      }
      expectPunct(')');
      return { kind: 'in', path: token.text, values };
    }
    return { kind: 'compare', path: token.text, op: compareOp(), value: literal() };
  };

  const unary = (): FilterNode => {
    if (isWord(peek(), 'not')) {
      next();
      return { kind: 'not', operand: nest(unary) };
    }
    return primary();
  };
  const andExpr = (): FilterNode => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };

  if (tokens.length === 0) fail('the expression is empty');
  const tree = orExpr();
  if (pos !== tokens.length) fail(`unexpected '${tokens[pos]?.text ?? ''}'`);
  return tree;
}

/** How one filterable property of an entity maps to SQL. */
export interface FilterField {
  /** SQL expression of the property (a column, usually). */
  sql: string;
  /** Operations Graph supports on it: comparison ops, functions, `in`, or `any` for collections. */
  ops: ReadonlyArray<CompareOp | 'startswith' | 'endswith' | 'contains' | 'in' | 'any'>;
  /** Booleans are stored as 0/1. */
  boolean?: boolean;
}

export interface SqlFragment {
  sql: string;
  params: Array<string | number | null>;
}

const SQL_OPS: Record<CompareOp, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };

/** Compiles a filter tree to a SQL condition with bound parameters, using the entity's field map. */
export function filterToSql(node: FilterNode, fields: Record<string, FilterField>, entity: string): SqlFragment {
  const field = (path: string, op: FilterField['ops'][number]): FilterField => {
    const found = fields[path] ?? fields[path.toLowerCase()] ??
      Object.entries(fields).find(([name]) => name.toLowerCase() === path.toLowerCase())?.[1];
    if (!found) throw badRequest(`Invalid filter clause: the property '${path}' of '${entity}' cannot be filtered on.`);
    if (!found.ops.includes(op)) {
      throw badRequest(`Invalid filter clause: operator '${op}' is not supported on '${path}' of '${entity}'.`);
    }
    return found;
  };
  const param = (f: FilterField, value: Literal): string | number | null =>
    typeof value === 'boolean' ? (value ? 1 : 0) : f.boolean === true && value === null ? null : value;
  switch (node.kind) {
    case 'and':
    case 'or': {
      const left = filterToSql(node.left, fields, entity);
      const right = filterToSql(node.right, fields, entity);
      return { sql: `(${left.sql} ${node.kind.toUpperCase()} ${right.sql})`, params: [...left.params, ...right.params] };
    }
    case 'not': {
      const inner = filterToSql(node.operand, fields, entity);
      return { sql: `(NOT ${inner.sql})`, params: inner.params };
    }
    case 'compare': {
      const f = field(node.path, node.op);
      if (node.value === null) return { sql: `(${f.sql} IS ${node.op === 'eq' ? '' : 'NOT '}NULL)`, params: [] };
      return { sql: `(${f.sql} ${SQL_OPS[node.op]} ? COLLATE NOCASE)`, params: [param(f, node.value)] };
    }
    case 'in': {
      const f = field(node.path, 'in');
      return { sql: `(${f.sql} COLLATE NOCASE IN (${node.values.map(() => '?').join(', ')}))`, params: node.values.map((v) => param(f, v)) };
    }
    case 'call': {
      const f = field(node.path, node.fn);
      const escaped = node.value.replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = node.fn === 'startswith' ? `${escaped}%` : node.fn === 'endswith' ? `%${escaped}` : `%${escaped}%`;
      return { sql: `(${f.sql} LIKE ? ESCAPE '\\')`, params: [pattern] };
    }
    case 'any': {
      const f = field(node.path, 'any');
      return {
        sql: `EXISTS (SELECT 1 FROM json_each(${f.sql}) WHERE json_each.value ${SQL_OPS[node.op]} ? COLLATE NOCASE)`,
        params: [param(f, node.value)],
      };
    }
  }
}
