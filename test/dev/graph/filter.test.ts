import Database from 'better-sqlite3';
import { graph400 } from '../../support/graphError';
import fc from 'fast-check';
import { GraphError } from '../../../dev/graph/errors';
import { filterToSql, parseFilter, type CompareOp, type FilterField, type FilterNode, type Literal } from '../../../dev/graph/filter';


const GUID = 'aaaaaaaa-0000-4000-8000-000000000001';
const DIGIT_GUID = '1aaaaaaa-0000-4000-8000-000000000002';
const NUMERIC_GUID = '12345678-1234-1234-1234-123456789012';
const SCOPE_PATH = 'scope/microsoft.graph.accessReviewQueryScope/query';

describe('parseFilter: the shapes Graph clients send', () => {
  const cmp = (path: string, value: Literal, op: CompareOp = 'eq'): FilterNode => ({ kind: 'compare', path, op, value });
  const cases: Array<[string, FilterNode]> = [
    ["startswith(displayName,'Sales')", { kind: 'call', fn: 'startswith', path: 'displayName', value: 'Sales' }],
    ["endswith(mail,'@contoso.local')", { kind: 'call', fn: 'endswith', path: 'mail', value: '@contoso.local' }],
    ["userType eq 'Guest'", cmp('userType', 'Guest')],
    ["groupTypes/any(c:c eq 'Unified')", { kind: 'any', path: 'groupTypes', op: 'eq', value: 'Unified' }],
    ["(groupTypes/any(c:c eq 'Unified') and resourceProvisioningOptions/Any(x:x eq 'Team'))", {
      kind: 'and',
      left: { kind: 'any', path: 'groupTypes', op: 'eq', value: 'Unified' },
      right: { kind: 'any', path: 'resourceProvisioningOptions', op: 'eq', value: 'Team' },
    }],
    [`contains(${SCOPE_PATH}, '/groups/${GUID}')`, { kind: 'call', fn: 'contains', path: SCOPE_PATH, value: `/groups/${GUID}` }],
    ["contains(scope/query, './members')", { kind: 'call', fn: 'contains', path: 'scope/query', value: './members' }],
    ["id in ('a','b')", { kind: 'in', path: 'id', values: ['a', 'b'] }],
    [`id in (${GUID}, 'b', 3)`, { kind: 'in', path: 'id', values: [GUID, 'b', 3] }],
    ["not startswith(displayName,'A')", { kind: 'not', operand: { kind: 'call', fn: 'startswith', path: 'displayName', value: 'A' } }],
    ["not(userType eq 'Guest')", { kind: 'not', operand: cmp('userType', 'Guest') }],
    ["userType eq 'Guest' or accountEnabled eq false", { kind: 'or', left: cmp('userType', 'Guest'), right: cmp('accountEnabled', false) }],
    ["a eq 1 or b eq 2 and c eq 3", { kind: 'or', left: cmp('a', 1), right: { kind: 'and', left: cmp('b', 2), right: cmp('c', 3) } }],
    ["(a eq 1 or b eq 2) and c eq 3", { kind: 'and', left: { kind: 'or', left: cmp('a', 1), right: cmp('b', 2) }, right: cmp('c', 3) }],
    ["userType EQ 'Guest' AND NOT accountEnabled eq true", {
      kind: 'and', left: cmp('userType', 'Guest'), right: { kind: 'not', operand: cmp('accountEnabled', true) },
    }],
    ["displayName eq 'O''Brien'", cmp('displayName', "O'Brien")],
    ["displayName eq ''''", cmp('displayName', "'")],
    ["displayName eq ''", cmp('displayName', '')],
    [`id eq ${GUID}`, cmp('id', GUID)],
    [`id eq ${DIGIT_GUID}`, cmp('id', DIGIT_GUID)],
    [`id eq ${NUMERIC_GUID}`, cmp('id', NUMERIC_GUID)],
    ['seq gt 5', cmp('seq', 5, 'gt')],
    ['score le -2.5', cmp('score', -2.5, 'le')],
    ['score ne 0', cmp('score', 0, 'ne')],
    ['accountEnabled eq true', cmp('accountEnabled', true)],
    ['accountEnabled eq FALSE', cmp('accountEnabled', false)],
    ['department eq null', cmp('department', null)],
    ["  status   eq   'InProgress'  ", cmp('status', 'InProgress')],
  ];
  test.each(cases)('%s', (text, tree) => {
    expect(parseFilter(text)).toEqual(tree);
  });

  const invalid = [
    '', '   ', "userType eq", 'userType eq Guest', "userType eq 'Guest", "(userType eq 'Guest'", "userType eq 'Guest')",
    "userType has 'Guest'", "userType eq 'a' xor b eq 'c'", 'startswith(displayName, 5)', "startswith(displayName 'A')",
    "groupTypes/any(c:d eq 'Unified')", "groupTypes/any(c:c+eq+'Unified')", 'id in ()', "id in ('a',)", 'x eq 5abc',
    "id in ('a' ',' 'b')", "groupTypes/any('c':c eq 'Unified')", 'eq eq eq', "userType eq 'Guest' and", 'not',
  ];
  test.each(invalid)('rejects %j with a Graph 400', (text) => {
    expect(graph400(() => parseFilter(text)).message).toMatch(/Invalid filter clause/);
  });

  test.each([
    ['5000 nested parentheses', `${'('.repeat(5000)}a eq 1${')'.repeat(5000)}`],
    ["20000 'not's", `${'not '.repeat(20000)}a eq 1`],
  ])('%s: a Graph 400 (or a tree), not a stack overflow', (_name, text) => {
    let caught: unknown;
    try {
      parseFilter(text);
    } catch (error) {
      caught = error;
    }
    if (caught !== undefined) expect(caught).toBeInstanceOf(GraphError);
  });
});

describe('filterToSql', () => {
  const fields: Record<string, FilterField> = {
    id: { sql: 't.id', ops: ['eq', 'in'] },
    displayName: { sql: 't.display_name', ops: ['eq', 'ne', 'startswith', 'endswith', 'contains', 'in'] },
    userType: { sql: 't.user_type', ops: ['eq', 'ne'] },
    department: { sql: 't.department', ops: ['eq', 'ne'] },
    accountEnabled: { sql: 't.account_enabled', ops: ['eq', 'ne'], boolean: true },
    score: { sql: 't.score', ops: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] },
    groupTypes: { sql: 't.group_types', ops: ['any'] },
    resourceProvisioningOptions: { sql: "CASE t.has_team WHEN 1 THEN '[\"Team\"]' ELSE '[]' END", ops: ['any'] },
    [SCOPE_PATH]: { sql: 't.scope_query', ops: ['contains'] },
  };
  const rows = [
    { id: GUID, display_name: 'Sales Team', user_type: 'Member', department: 'Sales', account_enabled: 1, score: 10, group_types: '["Unified"]', has_team: 1, scope_query: `/groups/${GUID}/transitiveMembers` },
    { id: DIGIT_GUID, display_name: 'Sales Ops', user_type: 'Guest', department: null, account_enabled: 0, score: 3, group_types: '[]', has_team: 0, scope_query: './members/microsoft.graph.user' },
    { id: 'r3', display_name: "O'Brien 100% sure", user_type: 'Member', department: 'Finance', account_enabled: 1, score: 7, group_types: '["Unified"]', has_team: 0, scope_query: null },
    { id: 'r4', display_name: "O'Brien 1000 sure", user_type: 'Member', department: 'Finance', account_enabled: 1, score: -1, group_types: '["DynamicMembership"]', has_team: 0, scope_query: null },
    { id: 'r5', display_name: 'Marketing_x', user_type: 'Member', department: 'Marketing', account_enabled: 1, score: 0, group_types: '[]', has_team: 0, scope_query: null },
    { id: 'r6', display_name: 'Marketingax', user_type: 'Guest', department: 'Marketing', account_enabled: 1, score: 12, group_types: '[]', has_team: 1, scope_query: null },
  ];
  const db = new Database(':memory:');
  beforeAll(() => {
    db.exec(`CREATE TABLE t (id TEXT, display_name TEXT, user_type TEXT, department TEXT, account_enabled INTEGER, score REAL,
      group_types TEXT, has_team INTEGER, scope_query TEXT)`);
    const insert = db.prepare(`INSERT INTO t VALUES (@id, @display_name, @user_type, @department, @account_enabled, @score,
      @group_types, @has_team, @scope_query)`);
    for (const row of rows) insert.run(row);
  });
  afterAll(() => db.close());

  const select = (filter: string): string[] => {
    const where = filterToSql(parseFilter(filter), fields, 'user');
    return (db.prepare(`SELECT id FROM t WHERE ${where.sql} ORDER BY rowid`).all(...where.params) as Array<{ id: string }>).map((r) => r.id);
  };

  const matches: Array<[string, string[]]> = [
    ["startswith(displayName,'Sales')", [GUID, DIGIT_GUID]],
    ["startswith(displayName,'sales')", [GUID, DIGIT_GUID]],
    ["endswith(displayName,'SURE')", ['r3', 'r4']],
    ["userType eq 'guest'", [DIGIT_GUID, 'r6']],
    ["userType ne 'Guest'", [GUID, 'r3', 'r4', 'r5']],
    ["groupTypes/any(c:c eq 'Unified')", [GUID, 'r3']],
    ["(groupTypes/any(c:c eq 'Unified') and resourceProvisioningOptions/Any(x:x eq 'Team'))", [GUID]],
    [`contains(${SCOPE_PATH}, '/groups/${GUID}')`, [GUID]],
    [`contains(${SCOPE_PATH}, './members')`, [DIGIT_GUID]],
    ["startswith(displayName,'O''Brien 100%')", ['r3']],
    ["contains(displayName,'g_x')", ['r5']],
    ["contains(displayName,'100%')", ['r3']],
    [`id in ('r3', ${GUID}, 'nope')`, [GUID, 'r3']],
    [`id eq ${DIGIT_GUID}`, [DIGIT_GUID]],
    [`id eq '${DIGIT_GUID.toUpperCase()}'`, [DIGIT_GUID]],
    ["not (userType eq 'Guest')", [GUID, 'r3', 'r4', 'r5']],
    ["userType eq 'Guest' or department eq 'Finance'", [DIGIT_GUID, 'r3', 'r4', 'r6']],
    ['accountEnabled eq false', [DIGIT_GUID]],
    ['accountEnabled eq true and score ge 10', [GUID, 'r6']],
    ['department eq null', [DIGIT_GUID]],
    ['department ne null', [GUID, 'r3', 'r4', 'r5', 'r6']],
    ['score lt 0 or score gt 11.5', ['r4', 'r6']],
    ["displayName eq 'x'' OR ''1''=''1'", []],
    ["displayName in ('Sales Team', 'marketingax')", [GUID, 'r6']],
  ];
  test.each(matches)('%s selects exactly the matching rows', (filter, ids) => {
    expect(select(filter)).toEqual(ids);
  });

  test('values travel only as parameters, never in the SQL text', () => {
    const value = "it's 100% _done_";
    const quoted = `'${value.replace(/'/g, "''")}'`;
    for (const filter of [`displayName eq ${quoted}`, `startswith(displayName,${quoted})`, `contains(displayName,${quoted})`,
      `displayName in (${quoted}, 'b')`, `groupTypes/any(c:c eq ${quoted})`, `not (displayName ne ${quoted})`]) {
      const fragment = filterToSql(parseFilter(filter), fields, 'user');
      expect(fragment.sql).not.toContain("it's");
      expect(fragment.sql).not.toContain('100');
      expect(fragment.sql).not.toContain('%');
      expect(fragment.sql).not.toContain('done');
      expect(fragment.params.some((p) => typeof p === 'string' && p.includes("it's 100"))).toBe(true);
    }
    expect(filterToSql(parseFilter(`startswith(displayName,${quoted})`), fields, 'user').params).toEqual(["it's 100\\% \\_done\\_%"]);
    expect(filterToSql(parseFilter(`displayName eq ${quoted}`), fields, 'user').params).toEqual([value]);
  });

  test.each([
    ['unknown property', "jobTitle eq 'Boss'", /jobTitle/],
    ['unsupported operator', "startswith(userType,'G')", /startswith/],
    ['ordering on a string-only property', "userType gt 'A'", /gt/],
    ['eq on a collection', "groupTypes eq 'Unified'", /groupTypes/],
    ['any on a scalar', "userType/any(c:c eq 'Guest')", /userType/],
    ['in where not allowed', "userType in ('Guest')", /in/],
    ['unknown property inside and', "userType eq 'Guest' and manager eq null", /manager/],
  ])('%s → Graph 400', (_name, filter, message) => {
    expect(graph400(() => filterToSql(parseFilter(filter), fields, 'user')).message).toMatch(message);
  });
});

describe('properties', () => {
  const tokenSoup = fc.array(fc.constantFrom('(', ')', ' ', "'", "''", ',', ':', '/', 'eq', 'and', 'or', 'not', 'in', 'any',
    'x', 'c', 'groupTypes/any', 'startswith', 'contains', '1', '-2.5', 'null', 'true', GUID, DIGIT_GUID, "'a'", '+', '$'), { maxLength: 30 })
    .map((parts) => parts.join(''));
  const anyString = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), tokenSoup);

  test('parseFilter returns a tree or throws a Graph 400, never anything else', () => {
    fc.assert(fc.property(anyString, (text) => {
      try {
        return typeof parseFilter(text) === 'object';
      } catch (error) {
        return error instanceof GraphError && error.status === 400;
      }
    }), { numRuns: 10000 });
  });

  const fields: Record<string, FilterField> = Object.fromEntries(['displayName', 'mail', 'department', 'userType'].map((name) =>
    [name, { sql: `t.${name}`, ops: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'startswith', 'endswith', 'contains', 'in'] } satisfies FilterField]));
  const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  const comparison = fc.record({
    name: fc.constantFrom('displayName', 'mail', 'department', 'userType', 'DISPLAYNAME'),
    form: fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'startswith', 'endswith', 'contains', 'in'),
    literals: fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
  }).map(({ name, form, literals }) => {
    if (form === 'in') return { text: `${name} in (${literals.map(quote).join(', ')})`, count: literals.length, eq: undefined };
    const literal = literals[0] ?? '';
    const text = form.length > 2 ? `${form}(${name}, ${quote(literal)})` : `${name} ${form} ${quote(literal)}`;
    return { text, count: 1, eq: form === 'eq' ? literal : undefined };
  });

  test('well-formed comparisons compile with exactly one parameter per literal', () => {
    fc.assert(fc.property(fc.array(comparison, { minLength: 1, maxLength: 3 }), fc.constantFrom(' and ', ' or '), (parts, joiner) => {
      const fragment = filterToSql(parseFilter(parts.map((p) => p.text).join(joiner)), fields, 'user');
      expect(fragment.params).toHaveLength(parts.reduce((n, p) => n + p.count, 0));
      const first = parts[0];
      if (first?.eq !== undefined) expect(filterToSql(parseFilter(first.text), fields, 'user').params).toEqual([first.eq]);
    }), { numRuns: 10000 });
  });
});
