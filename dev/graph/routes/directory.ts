import { DIRECTORY_ROLES } from '../../tenant/tenant';
import type { Caller } from '../auth';
import { GROUP_PROPERTIES, groupJson, USER_PROPERTIES, userDefault, userJson } from '../directoryJson';
import { badRequest } from '../errors';
import { parseODataQuery, project } from '../odata';
import { hasPermission, PERMISSIONS, requirePermission } from '../permissions';
import { route, type Emulator, type GraphRequest, type Route, type RouteResult } from '../router';
import { GROUP_FILTERS, USER_FILTERS, type Relation, type UserRow } from '../store/directoryStore';
import { context, countResult, entityResult, found, listOptions, listResult, pageArray, requireEventualConsistency } from './common';

/** A user as Graph returns it: the `$select`ed properties or the default set. */
const renderUser = (select: string[] | undefined) => (row: UserRow): Record<string, unknown> =>
  select ? userJson(row) : userDefault(row);

const asDirectoryObject = (select: string[] | undefined) => (row: UserRow): Record<string, unknown> =>
  ({ '@odata.type': '#microsoft.graph.user', ...renderUser(select)(row) });

/** The signed-in user's id for `/me…`: an app token is a 400 before any permission check, as on Graph. */
function me(caller: Caller): string {
  if (caller.kind !== 'user') throw badRequest('/me request is only valid with delegated authentication flow.');
  requirePermission(caller, PERMISSIONS.me);
  return caller.user.id;
}

function userResult(request: GraphRequest, emulator: Emulator, id: string): RouteResult {
  const user = found(emulator.directory.user(id), 'user', id);
  const select = parseODataQuery(request.query, { allowFilter: false }).select;
  const body = select ? project(userJson(user), select, 'microsoft.graph.user', USER_PROPERTIES) : userDefault(user);
  return { status: 200, body: { '@odata.context': context(emulator, 'users/$entity'), ...body } };
}

function managerResult(emulator: Emulator, id: string): RouteResult {
  const user = found(emulator.directory.user(id), 'user', id);
  const manager = found(user.manager_id === null ? undefined : emulator.directory.user(user.manager_id), 'manager', id);
  return { status: 200, body: { '@odata.type': '#microsoft.graph.user', ...renderUser(undefined)(manager) } };
}

/** Groups and directory roles of a user (roles carry their template id, as Graph's directoryRole). */
function memberOfResult(request: GraphRequest, emulator: Emulator, id: string): RouteResult {
  const user = found(emulator.directory.user(id), 'user', id);
  const options = parseODataQuery(request.query, { allowFilter: false });
  const groups = emulator.directory.memberOf(user.id, { top: Number.MAX_SAFE_INTEGER, skip: 0, after: undefined }).items
    .map((g) => ({ '@odata.type': '#microsoft.graph.group', ...groupJson(g) }));
  // A caller that may not read directory roles gets them with limited information: their type and id only.
  const readsRoles = hasPermission(request.caller, PERMISSIONS.directoryRolesRead);
  const roles = (JSON.parse(user.roles) as Array<keyof typeof DIRECTORY_ROLES>).map((name) => (readsRoles ? {
    '@odata.type': '#microsoft.graph.directoryRole', id: `${DIRECTORY_ROLES[name]}-role`, displayName: name,
    description: null, roleTemplateId: DIRECTORY_ROLES[name],
  } : { '@odata.type': '#microsoft.graph.directoryRole', id: `${DIRECTORY_ROLES[name]}-role` }));
  const page = pageArray<Record<string, unknown>>([...groups, ...roles], options);
  return listResult(request, emulator, page, { context: 'directoryObjects', render: (o) => o, select: options.select, type: 'microsoft.graph.directoryObject', known: [...new Set([...GROUP_PROPERTIES, 'roleTemplateId', '@odata.type'])] });
}

function relationRoute(path: string, relation: Relation): Route[] {
  const list = (request: GraphRequest, emulator: Emulator): RouteResult => {
    requirePermission(request.caller, PERMISSIONS.groupsRead);
    const group = found(emulator.directory.group(request.params.id ?? ''), 'group', request.params.id ?? '');
    const options = listOptions(request, USER_FILTERS, 'microsoft.graph.user');
    const page = emulator.directory.related(group.id, relation, options.where, options);
    const count = options.count ? emulator.directory.countRelated(group.id, relation, options.where) : undefined;
    return listResult(request, emulator, page, { context: 'directoryObjects', render: asDirectoryObject(options.select), select: options.select, type: 'microsoft.graph.user', known: USER_PROPERTIES, count });
  };
  const count = (request: GraphRequest, emulator: Emulator): RouteResult => {
    requirePermission(request.caller, PERMISSIONS.groupsRead);
    requireEventualConsistency(request);
    const group = found(emulator.directory.group(request.params.id ?? ''), 'group', request.params.id ?? '');
    return countResult(emulator.directory.countRelated(group.id, relation, listOptions(request, USER_FILTERS, 'microsoft.graph.user').where));
  };
  return [
    route('GET', `/groups/{id}/${path}`, list),
    route('GET', `/groups/{id}/${path}/microsoft.graph.user`, list),
    route('GET', `/groups/{id}/${path}/$count`, count),
    route('GET', `/groups/{id}/${path}/microsoft.graph.user/$count`, count),
  ];
}

export const directoryRoutes: Route[] = [
  route('GET', '/me', (request, emulator) => {
    return userResult(request, emulator, me(request.caller));
  }),
  route('GET', '/me/manager', (request, emulator) => {
    return managerResult(emulator, me(request.caller));
  }),
  route('GET', '/me/transitiveMemberOf', (request, emulator) => {
    return memberOfResult(request, emulator, me(request.caller));
  }),
  route('GET', '/users', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.usersRead);
    const options = listOptions(request, USER_FILTERS, 'microsoft.graph.user');
    const page = emulator.directory.users(options.where, options);
    const count = options.count ? emulator.directory.countUsers(options.where) : undefined;
    return listResult(request, emulator, page, { context: 'users', render: renderUser(options.select), select: options.select, type: 'microsoft.graph.user', known: USER_PROPERTIES, count });
  }),
  route('GET', '/users/$count', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.usersRead);
    requireEventualConsistency(request);
    return countResult(emulator.directory.countUsers(listOptions(request, USER_FILTERS, 'microsoft.graph.user').where));
  }),
  route('GET', '/users/{id}', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.usersRead);
    return userResult(request, emulator, request.params.id ?? '');
  }),
  route('GET', '/users/{id}/manager', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.managerRead);
    return managerResult(emulator, request.params.id ?? '');
  }),
  route('GET', '/users/{id}/transitiveMemberOf', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.memberOfRead);
    return memberOfResult(request, emulator, request.params.id ?? '');
  }),
  route('GET', '/groups', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.groupsRead);
    const options = listOptions(request, GROUP_FILTERS, 'microsoft.graph.group');
    const page = emulator.directory.groups(options.where, options);
    const count = options.count ? emulator.directory.countGroups(options.where) : undefined;
    return listResult(request, emulator, page, { context: 'groups', render: groupJson, select: options.select, type: 'microsoft.graph.group', known: GROUP_PROPERTIES, count });
  }),
  route('GET', '/groups/$count', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.groupsRead);
    requireEventualConsistency(request);
    return countResult(emulator.directory.countGroups(listOptions(request, GROUP_FILTERS, 'microsoft.graph.group').where));
  }),
  route('GET', '/groups/{id}', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.groupsRead);
    const group = found(emulator.directory.group(request.params.id ?? ''), 'group', request.params.id ?? '');
    return entityResult(request, emulator, groupJson(group), { context: 'groups/$entity', type: 'microsoft.graph.group', known: GROUP_PROPERTIES });
  }),
  ...relationRoute('owners', 'owner'),
  ...relationRoute('members', 'member'),
  ...relationRoute('transitiveMembers', 'member'),
  route('GET', '/teams/{id}', (request, emulator) => {
    requirePermission(request.caller, PERMISSIONS.teamsRead);
    const id = request.params.id ?? '';
    const group = emulator.directory.group(id);
    const team = found(group?.has_team === 1 ? group : undefined, 'team', id);
    return {
      status: 200,
      body: {
        '@odata.context': context(emulator, 'teams/$entity'), id: team.id, displayName: team.display_name,
        description: team.description, isArchived: false, visibility: 'private',
        webUrl: `https://teams.microsoft.com/l/team/19%3a${team.id.replace(/-/g, '')}%40thread.tacv2/conversations?groupId=${team.id}`,
      },
    };
  }),
];
