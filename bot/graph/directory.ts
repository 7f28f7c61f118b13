import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError } from '../errors';
import { quoted } from '../userText';
import { countSchema, groupSchema, pageOf, parseAnswer, userSchema } from './answers';
import type { DirectoryRoles, GroupInfo, UserInfo, UsersByEmail } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter, type EncodedFilter } from './odata';
import { relativeGraphPath } from './requests';

export type { DirectoryRoles, GroupInfo, UserInfo, UsersByEmail } from './apis';

type GraphUser = z.output<typeof userSchema>;
type GraphGroup = z.output<typeof groupSchema>;

const toUserInfo = (user: GraphUser): UserInfo =>
  ({ id: user.id, displayName: user.displayName ?? '', ...(user.userPrincipalName ? { userPrincipalName: user.userPrincipalName } : {}) });

/** The signed-in user (a cheap call that proves the token works). */
export async function getMe(client: Client): Promise<UserInfo> {
  const what = 'read your profile';
  try {
    return toUserInfo(parseAnswer(userSchema, await client.api('/me').select(['id', 'displayName', 'userPrincipalName']).get(), what));
  } catch (error) {
    throw toAppError(error, 'directory', what);
  }
}

const DIRECTORY_ROLE = '#microsoft.graph.directoryRole';
/** A membership as `$select=id,roleTemplateId` returns it; "limited information" objects carry only `@odata.type` and `id`. */
const membershipPage = pageOf(z.looseObject({ '@odata.type': z.string().nullish(), id: z.string().nullish(), roleTemplateId: z.string().nullish() }));
/** Pages of memberships read at most (Graph's default page is 100): a user in more groups than that is not confirmed. */
export const ROLE_PAGES = 5;

/**
 * The directory roles the signed-in user holds, directly or through a role-assignable group: `GET
 * /me/transitiveMemberOf` (User.Read for one's own memberships), at most {@link ROLE_PAGES} pages. Groups and
 * administrative units are skipped. A directory role Graph returns with limited information (the app may not read
 * that type: only `@odata.type` and `id`) cannot be named, so it is counted in `unnamed`, never guessed.
 */
export async function myDirectoryRoles(client: Client): Promise<DirectoryRoles> {
  const what = 'read your directory roles';
  const roleTemplateIds = new Set<string>();
  let unnamed = 0;
  try {
    let link: string | undefined;
    for (let pages = 0; pages < ROLE_PAGES; pages += 1) {
      const request = link === undefined ? client.api('/me/transitiveMemberOf').select(['id', 'roleTemplateId']) : client.api(relativeGraphPath(link));
      const page = parseAnswer(membershipPage, await request.get(), what);
      for (const item of page.value) {
        const type = item['@odata.type'] ?? undefined;
        if (type !== undefined && type.toLowerCase() !== DIRECTORY_ROLE.toLowerCase()) continue;
        if (item.roleTemplateId) roleTemplateIds.add(item.roleTemplateId.toLowerCase());
        else if (type !== undefined) unnamed += 1;
      }
      link = page['@odata.nextLink'];
      if (link === undefined) return { roleTemplateIds: [...roleTemplateIds], unnamed, complete: true };
    }
    return { roleTemplateIds: [...roleTemplateIds], unnamed, complete: false };
  } catch (error) {
    throw toAppError(error, 'directory', what);
  }
}

const groupNamePage = pageOf(z.looseObject({ id: z.string(), displayName: z.string().nullish() }));

/** Display names of groups by id (one request; unknown ids are left out). */
export async function getGroupNames(client: Client, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].slice(0, 15);
  if (unique.length === 0) return new Map();
  const what = 'read group names';
  try {
    const answer: unknown = await client.api('/groups').filter(odataFilter`id in (${unique})`).select(['id', 'displayName']).get();
    const page = parseAnswer(groupNamePage, answer, what);
    // A group without a name is left out like an unknown one (the card says "a group").
    return new Map(page.value.flatMap((group) => (group.displayName ? [[group.id.toLowerCase(), group.displayName] as const] : [])));
  } catch (error) {
    throw toAppError(error, 'directory', what);
  }
}

const GROUP_FIELDS = ['id', 'displayName', 'groupTypes', 'membershipRule', 'isAssignableToRole'];
const groupPage = pageOf(groupSchema);

function toGroupInfo(group: GraphGroup): GroupInfo {
  return {
    id: group.id, displayName: group.displayName ?? '', isDynamic: Boolean(group.membershipRule),
    isAssignableToRole: group.isAssignableToRole === true, isMicrosoft365: (group.groupTypes ?? []).includes('Unified'),
  };
}

/** Groups whose display name starts with `text` (an exact match first), at most `top`. */
export async function searchGroups(client: Client, text: string, top = 8): Promise<GroupInfo[]> {
  const what = `search for the group ${quoted(text)}`;
  try {
    const answer: unknown = await client.api('/groups').filter(odataFilter`startswith(displayName,${text})`).top(Math.min(top + 1, 100))
      .select(GROUP_FIELDS).get();
    const groups = parseAnswer(groupPage, answer, what).value.map(toGroupInfo);
    const exact = groups.filter((g) => g.displayName.toLowerCase() === text.toLowerCase());
    return [...exact, ...groups.filter((g) => !exact.includes(g))].slice(0, top);
  } catch (error) {
    throw toAppError(error, 'directory', what);
  }
}

export async function getGroup(client: Client, id: string): Promise<GroupInfo> {
  const what = 'read the group';
  try {
    return toGroupInfo(parseAnswer(groupSchema, await client.api(`/groups/${encodeURIComponent(id)}`).select(GROUP_FIELDS).get(), what));
  } catch (error) {
    throw toAppError(error, 'directory', what);
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
    const counted = countSchema.safeParse(await request.get());
    if (!counted.success) throw new AppError('GraphUnavailable', `Microsoft Graph gave no count of ${what}.`, { cause: counted.error });
    return counted.data;
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

const userPage = pageOf(userSchema);

/** Users by email address or user principal name (at most 15), and the addresses no user has. */
export async function findUsersByEmail(client: Client, emails: readonly string[]): Promise<UsersByEmail> {
  const wanted = [...new Set(emails.map((e) => e.toLowerCase()))].slice(0, 15);
  if (wanted.length === 0) return { users: [], missing: [] };
  const what = 'look up the reviewers';
  let found: GraphUser[];
  try {
    const answer: unknown = await client.api('/users').filter(odataFilter`mail in (${wanted}) or userPrincipalName in (${wanted})`)
      .select(['id', 'displayName', 'mail', 'userPrincipalName']).get();
    found = parseAnswer(userPage, answer, what).value;
  } catch (error) {
    throw toAppError(error, 'directory', what);
  }
  const has = (email: string): boolean => found.some((u) => [u.mail, u.userPrincipalName].some((v) => v?.toLowerCase() === email));
  return {
    users: found.map(toUserInfo),
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
