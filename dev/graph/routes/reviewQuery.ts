import { badRequest } from '../errors';
import { parseFilter, type FilterNode, type SqlFragment } from '../filter';
import { decodeSkipToken, MAX_PAGE_SIZE } from '../odata';
import type { Paging } from '../store/paging';
import { TRUE_SQL } from '../store/paging';

/**
 * The query options of the access-review lists, exactly as Microsoft documents them and nothing kinder: anything
 * else is a 400 in Graph's envelope, so the bot cannot come to rely on an option a real tenant may refuse.
 *
 * - definitions (accessreviewset-list-definitions, resources/accessreviewscheduledefinition): `$select`, `$top`,
 *   `$skip`, `$orderby` on displayName and status (createdDateTime lists `$select` only since the 2024 page),
 *   `$filter` as `status eq '…'` or `contains(scope/microsoft.graph.accessReviewQueryScope/query, '{value}')` with the
 *   values of api-reference/includes/accessreviews-definition-filter-scope.md (not on inactive-user scopes);
 * - instances (resources/accessreviewinstance): `status` `$filter` eq and `$orderby`, `scope` `$filter` contains;
 * - decisions (resources/accessreviewinstancedecisionitem): `$filter` eq and `$orderby` on decision, recommendation,
 *   applyResult.
 * One condition per `$filter`: no page documents `and`/`or` on these lists.
 */
export interface ReviewListRules {
  /** The entity's name in messages. */
  entity: string;
  /** `$filter` → SQL, or a 400 naming what is documented. */
  filter(node: FilterNode): SqlFragment;
  /** `$orderby` property → SQL expression. */
  orderBy: Record<string, string>;
}

export interface ReviewListQuery extends Paging {
  select: string[] | undefined;
  where: SqlFragment;
}

/** The options each list documents (`$skiptoken` is the emulator's own `@odata.nextLink` cursor). */
const OPTIONS = new Set(['$select', '$top', '$skip', '$filter', '$orderby', '$skiptoken']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notDocumented = (what: string, documented: string): Error =>
  badRequest(`Invalid filter clause: ${what} is not supported on this list; documented: ${documented}.`);

/** Reads a list request's options by the rules of its entity. */
export function reviewListQuery(params: URLSearchParams, rules: ReviewListRules): ReviewListQuery {
  const options = new Map<string, string>();
  for (const [key, value] of params) {
    const name = key.toLowerCase();
    if (!name.startsWith('$')) continue;
    if (!OPTIONS.has(name)) {
      throw badRequest(`The query option '${key}' is not supported on a list of ${rules.entity}; documented: $select, $top, $skip, $filter, $orderby.`);
    }
    if (options.has(name)) throw badRequest(`The query option '${name}' was specified more than once.`);
    options.set(name, value);
  }
  const int = (name: string): number | undefined => {
    const raw = options.get(name);
    if (raw === undefined) return undefined;
    if (!/^\d{1,9}$/.test(raw)) throw badRequest(`Invalid value '${raw}' for query option '${name}'.`);
    return Number(raw);
  };
  const token = decodeSkipToken(options.get('$skiptoken') ?? null);
  const filterText = options.get('$filter');
  const orderText = options.get('$orderby');
  const select = options.get('$select');
  return {
    top: Math.min(int('$top') ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    skip: int('$skip') ?? 0,
    after: token?.kind === 'k' ? token.value : undefined,
    offset: token?.kind === 'o' ? token.value : undefined,
    orderBy: orderText === undefined ? undefined : orderSql(orderText, rules),
    withCount: true,
    select: select === undefined ? undefined : select.split(',').map((s) => s.trim()).filter(Boolean),
    where: filterText === undefined ? TRUE_SQL : rules.filter(parseFilter(filterText)),
  };
}

function orderSql(text: string, rules: ReviewListRules): string {
  const documented = Object.keys(rules.orderBy).join(', ');
  const parts = text.split(',').map((part) => part.trim());
  return parts.map((part) => {
    const match = /^([A-Za-z]+)(?:\s+(asc|desc))?$/i.exec(part);
    const property = match?.[1] ?? part;
    const key = Object.keys(rules.orderBy).find((name) => name.toLowerCase() === property.toLowerCase());
    const sql = key === undefined ? undefined : rules.orderBy[key];
    if (!match || sql === undefined) {
      throw badRequest(`Invalid $orderby: '${part}' is not supported on a list of ${rules.entity}; documented: ${documented}.`);
    }
    return `${sql} ${match[2]?.toLowerCase() === 'desc' ? 'DESC' : 'ASC'}`;
  }).join(', ');
}

/** `property eq 'text'` on one of `properties` (each mapped to its SQL column). */
function equality(node: FilterNode, properties: Record<string, string>, documented: string): SqlFragment | undefined {
  if (node.kind !== 'compare') return undefined;
  const key = Object.keys(properties).find((name) => name.toLowerCase() === node.path.toLowerCase());
  if (key === undefined) return undefined;
  if (node.op !== 'eq') throw notDocumented(`the operator '${node.op}' on '${node.path}'`, documented);
  if (typeof node.value !== 'string') throw notDocumented(`'${node.path}' compared with ${String(node.value)}`, documented);
  return { sql: `(${properties[key] ?? ''} = ? COLLATE NOCASE)`, params: [node.value] };
}

const SCOPE_PATHS = ['scope/microsoft.graph.accessReviewQueryScope/query'];
const QUERY_SCOPE = '#microsoft.graph.accessReviewQueryScope';

/** The `{value}`s accessreviews-definition-filter-scope.md lists for `contains` on a definition's scope. */
function documentedScopeValue(value: string): boolean {
  const lower = value.toLowerCase();
  if (['/groups', './members', 'accesspackageassignments', 'roleassignmentscheduleinstances'].includes(lower)) return true;
  return lower.startsWith('/groups/') && GUID.test(value.slice('/groups/'.length));
}

const DEFINITION_DOCS = "status eq '…', or contains(scope/microsoft.graph.accessReviewQueryScope/query, '{value}') with " +
  "{value} one of '/groups', '/groups/{group id}', './members', 'accessPackageAssignments', 'roleAssignmentScheduleInstances'";

export const DEFINITION_RULES: ReviewListRules = {
  entity: 'accessReviewScheduleDefinition',
  orderBy: { displayName: 'd.display_name COLLATE NOCASE', status: 'd.status COLLATE NOCASE' },
  filter(node) {
    const status = equality(node, { status: 'd.status' }, DEFINITION_DOCS);
    if (status) return status;
    if (node.kind === 'call' && node.fn === 'contains' && SCOPE_PATHS.some((p) => p.toLowerCase() === node.path.toLowerCase())) {
      if (!documentedScopeValue(node.value)) throw notDocumented(`contains on the scope with '${node.value}'`, DEFINITION_DOCS);
      // "The $filter query parameter isn't supported on accessReviewInactiveUserQueryScope": only query scopes match.
      return {
        sql: `(json_extract(d.data, '$.scope."@odata.type"') = ? AND instr(lower(d.scope_query), lower(?)) > 0)`,
        params: [QUERY_SCOPE, node.value],
      };
    }
    throw notDocumented(describe(node), DEFINITION_DOCS);
  },
};

const INSTANCE_DOCS = "status eq '…', or contains(scope/microsoft.graph.accessReviewQueryScope/query, '…')";
const INSTANCE_SCOPE = "json_extract(i.data, '$.scope.query')";

export const INSTANCE_RULES: ReviewListRules = {
  entity: 'accessReviewInstance',
  orderBy: { status: 'i.status COLLATE NOCASE' },
  filter(node) {
    const status = equality(node, { status: 'i.status' }, INSTANCE_DOCS);
    if (status) return status;
    if (node.kind === 'call' && node.fn === 'contains' && [...SCOPE_PATHS, 'scope/query'].some((p) => p.toLowerCase() === node.path.toLowerCase())) {
      return { sql: `(instr(lower(${INSTANCE_SCOPE}), lower(?)) > 0)`, params: [node.value] };
    }
    throw notDocumented(describe(node), INSTANCE_DOCS);
  },
};

const DECISION_COLUMNS = { decision: 'd.decision', recommendation: 'd.recommendation', applyResult: 'd.apply_result' };
const DECISION_DOCS = "decision, recommendation or applyResult eq '…'";

export const DECISION_RULES: ReviewListRules = {
  entity: 'accessReviewInstanceDecisionItem',
  orderBy: Object.fromEntries(Object.entries(DECISION_COLUMNS).map(([name, sql]) => [name, `${sql} COLLATE NOCASE`])),
  filter(node) {
    const found = equality(node, DECISION_COLUMNS, DECISION_DOCS);
    if (found) return found;
    throw notDocumented(describe(node), DECISION_DOCS);
  },
};

function describe(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or': return `'${node.kind}' (one condition per $filter)`;
    case 'not': return "'not'";
    case 'compare': return `'${node.path} ${node.op}'`;
    case 'in': return `'${node.path} in (…)'`;
    case 'call': return `${node.fn}(${node.path}, …)`;
    case 'any': return `'${node.path}/any(…)'`;
  }
}
