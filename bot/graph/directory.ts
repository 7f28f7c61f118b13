import type { Client } from '@microsoft/microsoft-graph-client';
import type { Group, User } from '@microsoft/microsoft-graph-types';
import { AppError } from '../errors';
import { quoted } from '../userText';
import { toAppError } from './graphErrors';
import { odataFilter, type EncodedFilter } from './odata';

/** The signed-in user (a cheap call that proves the token works). */
export async function getMe(client: Client): Promise<User> {
  try {
    return (await client.api('/me').select(['id', 'displayName', 'userPrincipalName']).get()) as User;
  } catch (error) {
    throw toAppError(error, 'directory', 'read your profile');
  }
}

/** Display names of groups by id (one request; unknown ids are left out). */
export async function getGroupNames(client: Client, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].slice(0, 15);
  if (unique.length === 0) return new Map();
  try {
    const page = (await client.api('/groups').filter(odataFilter`id in (${unique})`)
      .select(['id', 'displayName']).get()) as { value: Array<{ id: string; displayName: string }> };
    return new Map(page.value.map((group) => [group.id.toLowerCase(), group.displayName]));
  } catch (error) {
    throw toAppError(error, 'directory', 'read group names');
  }
}

/** A group as the creation flow needs it. */
export interface GroupInfo {
  id: string;
  displayName: string;
  isDynamic: boolean;
  isAssignableToRole: boolean;
  isMicrosoft365: boolean;
}

const GROUP_FIELDS = ['id', 'displayName', 'groupTypes', 'membershipRule', 'isAssignableToRole'];

function toGroupInfo(group: Group): GroupInfo {
  return {
    id: group.id ?? '', displayName: group.displayName ?? '', isDynamic: Boolean(group.membershipRule),
    isAssignableToRole: group.isAssignableToRole === true, isMicrosoft365: (group.groupTypes ?? []).includes('Unified'),
  };
}

/** Groups whose display name starts with `text` (an exact match first), at most `top`. */
export async function searchGroups(client: Client, text: string, top = 8): Promise<GroupInfo[]> {
  try {
    const page = (await client.api('/groups').filter(odataFilter`startswith(displayName,${text})`).top(Math.min(top + 1, 100))
      .select(GROUP_FIELDS).get()) as { value: Group[] };
    const groups = page.value.map(toGroupInfo);
    const exact = groups.filter((g) => g.displayName.toLowerCase() === text.toLowerCase());
    return [...exact, ...groups.filter((g) => !exact.includes(g))].slice(0, top);
  } catch (error) {
    throw toAppError(error, 'directory', `search for the group ${quoted(text)}`);
  }
}

export async function getGroup(client: Client, id: string): Promise<GroupInfo> {
  try {
    return toGroupInfo((await client.api(`/groups/${encodeURIComponent(id)}`).select(GROUP_FIELDS).get()) as Group);
  } catch (error) {
    throw toAppError(error, 'directory', 'read the group');
  }
}

/**
 * A `$count` (Graph counts directory objects as an advanced query: `ConsistencyLevel: eventual`), without
 * paging the members.
 */
async function count(client: Client, path: string, filter: EncodedFilter | undefined, what: string): Promise<number> {
  try {
    let request = client.api(path).header('ConsistencyLevel', 'eventual');
    if (filter) request = request.filter(filter);
    const answer = (await request.get()) as unknown;
    const value = typeof answer === 'number' ? answer : Number(typeof answer === 'string' ? answer : NaN);
    if (!Number.isFinite(value)) throw new AppError('GraphUnavailable', `Microsoft Graph gave no count of ${what}.`);
    return value;
  } catch (error) {
    throw toAppError(error, 'directory', `count the ${what}`);
  }
}

/** Users in a group (transitively): all, or guests only. */
export const countGroupUsers = (client: Client, groupId: string, guestsOnly: boolean): Promise<number> =>
  count(client, `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user/$count`, guestsOnly ? odataFilter`userType eq ${'Guest'}` : undefined,
    guestsOnly ? 'guests of the group' : 'members of the group');

export const countGroupOwners = (client: Client, groupId: string): Promise<number> =>
  count(client, `/groups/${encodeURIComponent(groupId)}/owners/$count`, undefined, 'owners of the group');

/** Whether `userId` is among the group's users (one count request, no paging). */
export async function isInGroup(client: Client, groupId: string, userId: string): Promise<boolean> {
  return (await count(client, `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user/$count`, odataFilter`id eq ${userId}`, 'the group membership')) > 0;
}

/** Guest accounts of the directory (the upper bound of an all-groups guest review). */
export const countGuests = (client: Client): Promise<number> => count(client, '/users/$count', odataFilter`userType eq ${'Guest'}`, 'guests');

/** A user as the creation flow names them. */
export interface UserInfo {
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

/** Users by email address or user principal name (at most 15), and the addresses no user has. */
export async function findUsersByEmail(client: Client, emails: readonly string[]): Promise<{ users: UserInfo[]; missing: string[] }> {
  const wanted = [...new Set(emails.map((e) => e.toLowerCase()))].slice(0, 15);
  if (wanted.length === 0) return { users: [], missing: [] };
  let found: User[];
  try {
    found = ((await client.api('/users').filter(odataFilter`mail in (${wanted}) or userPrincipalName in (${wanted})`)
      .select(['id', 'displayName', 'mail', 'userPrincipalName']).get()) as { value: User[] }).value;
  } catch (error) {
    throw toAppError(error, 'directory', 'look up the reviewers');
  }
  const has = (email: string): boolean => found.some((u) => [u.mail, u.userPrincipalName].some((v) => v?.toLowerCase() === email));
  return {
    users: found.map((u) => ({ id: u.id ?? '', displayName: u.displayName ?? '', ...(u.userPrincipalName ? { userPrincipalName: u.userPrincipalName } : {}) })),
    missing: wanted.filter((email) => !has(email)),
  };
}

const MISSING_SHOWN = 5;

/** What to tell the user about addresses no user has (the first few, each quoted). */
export function missingUsersText(missing: readonly string[]): string {
  const shown = missing.slice(0, MISSING_SHOWN).map((address) => quoted(address)).join(', ');
  const more = missing.length > MISSING_SHOWN ? ` and ${missing.length - MISSING_SHOWN} more` : '';
  return `No user in the directory has the address ${shown}${more}.`;
}
