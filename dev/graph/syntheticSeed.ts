import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { USER } from '../tenant/tenant';
import type { EmulatorCore } from './emulator';
import { formatDate } from './reviews/schedule';

/** `POST /_emulator/seed` body. */
export const SyntheticSeedSchema = z.object({
  groups: z.number().int().min(0).max(1000).default(0),
  membersPerGroup: z.number().int().min(0).max(200_000).default(0),
  definitions: z.number().int().min(0).max(2000).default(0),
  decisionsPerInstance: z.number().int().min(0).max(200_000).default(0),
}).strict();

export type SyntheticSeed = z.infer<typeof SyntheticSeedSchema>;

const DAY = 86_400_000;

/**
 * Adds a load tenant for benchmarks: a pool of users, `groups` groups of `membersPerGroup` members, and
 * `definitions` one-time reviews (owner: Adele) of their own group of `decisionsPerInstance` members,
 * started at once, so each has an in-progress instance with that many decision items.
 */
export function seedSynthetic(core: EmulatorCore, seed: SyntheticSeed): { groups: string[]; definitions: string[]; instances: string[]; users: number } {
  const now = core.clock.now();
  const batch = randomUUID().slice(0, 8);
  const poolSize = Math.max(seed.membersPerGroup, seed.decisionsPerInstance);
  const users: string[] = [];
  const groups: string[] = [];
  const targets: string[] = [];
  core.db.transaction(() => {
    for (let n = 1; n <= poolSize; n += 1) {
      const id = randomUUID();
      users.push(id);
      const signIn = n % 13 === 0 ? null : new Date(now.getTime() - ((n * 7) % 90) * DAY).toISOString();
      core.directory.insertUser({
        id, display_name: `Load User ${batch} ${String(n).padStart(6, '0')}`, given_name: 'Load', surname: `User ${n}`,
        upn: `load.${batch}.${n}@contoso.local`, mail: `load.${batch}.${n}@contoso.local`, user_type: n % 10 === 0 ? 'Guest' : 'Member',
        account_enabled: 1, job_title: null, department: 'Load', manager_id: null, last_sign_in: signIn,
        created_at: now.toISOString(), roles: '[]', delete_after: null,
      });
    }
    const addGroup = (name: string, members: number): string => {
      const id = randomUUID();
      core.directory.insertGroup({
        id, display_name: name, description: 'Synthetic load group', mail: null, mail_nickname: name.replace(/\W/g, ''),
        group_types: '[]', security_enabled: 1, mail_enabled: 0, membership_rule: null, is_assignable_to_role: 0, has_team: 0,
        created_at: now.toISOString(),
      });
      core.directory.addRelation(id, USER.adele, 'owner');
      for (const member of users.slice(0, members)) core.directory.addRelation(id, member, 'member');
      return id;
    };
    for (let g = 1; g <= seed.groups; g += 1) groups.push(addGroup(`Load Group ${batch} ${g}`, seed.membersPerGroup));
    for (let d = 1; d <= seed.definitions; d += 1) targets.push(addGroup(`Load Review Target ${batch} ${d}`, seed.decisionsPerInstance));
  })();
  const adele = core.directory.user(USER.adele);
  const definitions = targets.map((groupId, i) => core.service.create({
    displayName: `Load review ${batch} ${i + 1}`, descriptionForAdmins: 'Synthetic load review', descriptionForReviewers: 'Synthetic load review',
    scope: { query: `/groups/${groupId}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
    reviewers: [{ query: `/groups/${groupId}/owners`, queryType: 'MicrosoftGraph' }],
    settings: { instanceDurationInDays: 14, recommendationsEnabled: true, recurrence: { pattern: null, range: { type: 'numbered', startDate: formatDate(now) } } },
  }, adele ? { id: adele.id, displayName: adele.display_name, userPrincipalName: adele.upn } : null, now).id);
  core.lifecycle.runUntil(now);
  const instances = definitions.flatMap((id) => core.reviews.instances(id, { sql: '1', params: [] }, { top: 1000, skip: 0, after: undefined }).items.map((i) => i.id));
  return { groups, definitions, instances, users: users.length };
}
