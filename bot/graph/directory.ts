import type { Client } from '@microsoft/microsoft-graph-client';
import type { User } from '@microsoft/microsoft-graph-types';
import { toAppError } from './graphErrors';

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
    const page = (await client.api('/groups').filter(`id in (${unique.map((id) => `'${id}'`).join(',')})`)
      .select(['id', 'displayName']).get()) as { value: Array<{ id: string; displayName: string }> };
    return new Map(page.value.map((group) => [group.id.toLowerCase(), group.displayName]));
  } catch (error) {
    throw toAppError(error, 'directory', 'read group names');
  }
}
