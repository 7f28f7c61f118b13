import { parseDuration, durationInDays } from '../../shared/duration';
import { parseFilter, type FilterNode } from '../filter';

/**
 * The scope and reviewer query shapes the emulator understands (reference section 3), parsed from the
 * strings Graph stores. Anything else is reported as unsupported, never silently accepted.
 */
export type ScopeSpec =
  | { kind: 'group'; groupId: string; guestsOnly: boolean; inactiveDays: number | undefined }
  | { kind: 'allGroups'; teamsOnly: boolean; guestsOnly: boolean; inactiveDays: number | undefined };

export type ReviewerSpec =
  | { kind: 'groupOwners'; groupId: string }
  | { kind: 'groupMembers'; groupId: string }
  | { kind: 'enumeratedGroupOwners' }
  | { kind: 'managers' }
  | { kind: 'user'; userId: string };

/**
 * A query failed to parse: `field` names the property, `reason` says what is wrong, in Graph's tone.
 * `notSupported`: Graph accepts this kind of review, the local emulator does not emulate it (answered 400 NotSupported).
 */
export class QueryError extends Error {
  constructor(readonly field: string, readonly reason: string, readonly notSupported = false) {
    super(`${field}: ${reason}`);
  }
}

/** Scope queries of reviews Graph offers (reference 3.5) that the emulator does not emulate, by what they review. */
const NOT_EMULATED: Array<[RegExp, string]> = [
  [/accessPackageAssignments/i, 'access package assignments'],
  [/^\/roleManagement\//i, 'directory role assignments'],
  [/^\/servicePrincipals\//i, 'applications (service principals)'],
  [/^\/teams\//i, "teams' shared channels"],
];

function notEmulated(query: string, field: string): QueryError | undefined {
  const found = NOT_EMULATED.find(([pattern]) => pattern.test(query));
  return found && new QueryError(field, `reviews of ${found[1]} ('${query}') are not supported by the local Graph emulator`, true);
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const GROUP_PRINCIPALS = new RegExp(`^/groups/(${GUID})/(?:transitiveMembers|members)(?:/microsoft\\.graph\\.user)?/?(?:\\?(.*))?$`);
const RELATIVE_PRINCIPALS = /^\.\/(?:transitiveMembers|members)(?:\/microsoft\.graph\.user)?\/?(?:\?(.*))?$/;
const SINGLE_GROUP = new RegExp(`^/groups/(${GUID})$`);
const ALL_GROUPS = /^\/groups\/?\?(.*)$/;
const GROUP_OWNERS = new RegExp(`^/groups/(${GUID})/owners$`);
const GROUP_MEMBERS = new RegExp(`^/groups/(${GUID})/(?:transitiveMembers|members)(?:/microsoft\\.graph\\.user)?$`);
const USER = new RegExp(`^/users/(${GUID})$`);

/** Strips the `/v1.0` or `/beta` prefix Graph adds when it echoes stored queries. */
export const stripVersion = (query: string): string => query.trim().replace(/^\/(?:v1\.0|beta)(?=\/)/, '');

const isGuestFilter = (node: FilterNode): boolean =>
  node.kind === 'compare' && node.op === 'eq' && node.path.toLowerCase() === 'usertype' &&
  typeof node.value === 'string' && node.value.toLowerCase() === 'guest';

const isAny = (node: FilterNode, path: string, value: string): boolean =>
  node.kind === 'any' && node.path.toLowerCase() === path.toLowerCase() && node.op === 'eq' &&
  typeof node.value === 'string' && node.value.toLowerCase() === value.toLowerCase();

/** Reads `?$filter=(userType eq 'Guest')&$count=true`: true for guests only, false for no filter. */
function guestsOnly(queryString: string | undefined, field: string): boolean {
  if (!queryString) return false;
  const params = new URLSearchParams(queryString);
  for (const key of params.keys()) {
    if (key !== '$filter' && key !== '$count') throw new QueryError(field, `the query option '${key}' is not supported in a scope query`);
  }
  const filter = params.get('$filter');
  if (filter === null) return false;
  let node: FilterNode;
  try {
    node = parseFilter(filter);
  } catch {
    throw new QueryError(field, `the filter '${filter}' is not valid`);
  }
  if (!isGuestFilter(node)) throw new QueryError(field, `only the filter (userType eq 'Guest') is supported, not '${filter}'`);
  return true;
}

function inactiveDays(scope: Record<string, unknown>): number | undefined {
  if (scope['@odata.type'] !== '#microsoft.graph.accessReviewInactiveUsersQueryScope') return undefined;
  const raw = scope.inactiveDuration;
  const duration = typeof raw === 'string' ? parseDuration(raw) : undefined;
  const days = duration ? durationInDays(duration) : undefined;
  if (days === undefined || days < 1) {
    throw new QueryError('scope.inactiveDuration', `'${String(raw)}' is not a duration in whole days such as P30D`);
  }
  return days;
}

/** Parses `scope` (+ `instanceEnumerationScope`) of a definition into what it reviews. */
export function parseScope(scope: Record<string, unknown>, enumeration: Record<string, unknown> | undefined): ScopeSpec {
  const query = stripVersion(String(scope.query));
  const inactive = inactiveDays(scope);
  const absolute = GROUP_PRINCIPALS.exec(query);
  if (absolute) {
    const groupId = (absolute[1] ?? '').toLowerCase();
    if (enumeration !== undefined) {
      const single = SINGLE_GROUP.exec(stripVersion(String(enumeration.query)));
      if (!single || single[1]?.toLowerCase() !== groupId) {
        throw new QueryError('instanceEnumerationScope.query', `must be /groups/${groupId} for a review of that group`);
      }
    }
    return { kind: 'group', groupId, guestsOnly: guestsOnly(absolute[2], 'scope.query'), inactiveDays: inactive };
  }
  const relative = RELATIVE_PRINCIPALS.exec(query);
  if (relative) {
    if (enumeration === undefined) {
      throw new QueryError('instanceEnumerationScope', 'is required when the scope query is relative (./members)');
    }
    const enumerationQuery = stripVersion(String(enumeration.query));
    const single = SINGLE_GROUP.exec(enumerationQuery);
    if (single) {
      return { kind: 'group', groupId: (single[1] ?? '').toLowerCase(), guestsOnly: guestsOnly(relative[1], 'scope.query'), inactiveDays: inactive };
    }
    const all = ALL_GROUPS.exec(enumerationQuery);
    if (!all) throw new QueryError('instanceEnumerationScope.query', `'${enumerationQuery}' is not a supported group enumeration`);
    return { kind: 'allGroups', teamsOnly: teamsOnly(all[1] ?? ''), guestsOnly: guestsOnly(relative[1], 'scope.query'), inactiveDays: inactive };
  }
  throw notEmulated(query, 'scope.query') ??
    new QueryError('scope.query', `'${query}' is not a supported scope query (groups' members, guests, or all Microsoft 365 groups)`);
}

/** `/groups?$filter=(groupTypes/any(c:c eq 'Unified'))` optionally `and resourceProvisioningOptions/Any(x:x eq 'Team')`. */
function teamsOnly(queryString: string): boolean {
  const field = 'instanceEnumerationScope.query';
  const params = new URLSearchParams(queryString);
  const filter = params.get('$filter');
  let node: FilterNode | undefined;
  try {
    node = filter === null ? undefined : parseFilter(filter);
  } catch {
    node = undefined;
  }
  if (node && isAny(node, 'groupTypes', 'Unified')) return false;
  if (node?.kind === 'and' && isAny(node.left, 'groupTypes', 'Unified') && isAny(node.right, 'resourceProvisioningOptions', 'Team')) return true;
  throw new QueryError(field, "must filter Microsoft 365 groups: /groups?$filter=(groupTypes/any(c:c eq 'Unified'))");
}

/** Parses one reviewer scope (`reviewers[i]` or `fallbackReviewers[i]`). */
export function parseReviewer(reviewer: Record<string, unknown>, field: string, allowRelative: boolean): ReviewerSpec {
  const query = stripVersion(String(reviewer.query));
  const owners = GROUP_OWNERS.exec(query);
  if (owners) return { kind: 'groupOwners', groupId: (owners[1] ?? '').toLowerCase() };
  const members = GROUP_MEMBERS.exec(query);
  if (members) return { kind: 'groupMembers', groupId: (members[1] ?? '').toLowerCase() };
  const user = USER.exec(query);
  if (user) return { kind: 'user', userId: (user[1] ?? '').toLowerCase() };
  if (allowRelative && query === './owners') return { kind: 'enumeratedGroupOwners' };
  if (allowRelative && query === './manager') {
    if (reviewer.queryRoot !== 'decisions') throw new QueryError(`${field}.queryRoot`, "must be 'decisions' for the relative query ./manager");
    return { kind: 'managers' };
  }
  throw notEmulated(query, `${field}.query`) ?? new QueryError(`${field}.query`, `'${query}' is not a supported reviewer query`);
}
