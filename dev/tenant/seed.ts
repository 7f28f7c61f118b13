import type { EmulatorCore } from '../graph/emulator';
import { formatDate } from '../graph/reviews/schedule';
import type { Actor } from '../graph/store/decisionStore';
import { FINANCE_APPS_DENIED, GROUP, staffId, USER, type Tenant, type TenantUser } from './tenant';

const DAY = 86_400_000;
export const SEEDED_REVIEWS = {
  financeAnnual: 'Finance Apps annual review',
  salesGuests: 'Sales Team guest review',
  falconGuests: 'Project Falcon guests',
} as const;

const actor = (user: TenantUser): Actor => ({ id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName });
const owners = (groupId: string): object[] => [{ query: `/groups/${groupId}/owners`, queryType: 'MicrosoftGraph' }];
const user = (id: string): object[] => [{ query: `/users/${id}`, queryType: 'MicrosoftGraph' }];
const scope = (groupId: string, guests: boolean): object => ({
  '@odata.type': '#microsoft.graph.accessReviewQueryScope',
  query: `/groups/${groupId}/transitiveMembers/microsoft.graph.user${guests ? "/?$filter=(userType eq 'Guest')" : ''}`,
  queryType: 'MicrosoftGraph',
});

/** Writes the demo directory (times relative to `now`). */
function seedDirectory(core: EmulatorCore, tenant: Tenant, now: Date): void {
  const iso = (daysAgo: number): string => new Date(now.getTime() - daysAgo * DAY).toISOString();
  for (const u of tenant.users) {
    core.directory.insertUser({
      id: u.id, display_name: u.displayName, given_name: u.givenName, surname: u.surname, upn: u.userPrincipalName,
      mail: u.mail, user_type: u.userType, account_enabled: 1, job_title: u.jobTitle, department: u.department,
      manager_id: u.managerId, last_sign_in: u.lastSignInDaysAgo === null ? null : iso(u.lastSignInDaysAgo),
      created_at: iso(400), roles: JSON.stringify(u.roles), delete_after: null,
    });
  }
  for (const g of tenant.groups) {
    const unified = g.kind === 'microsoft365';
    const nickname = g.displayName.replace(/\W/g, '');
    core.directory.insertGroup({
      id: g.id, display_name: g.displayName, description: g.description, mail: unified ? `${nickname}@${tenant.domain}` : null,
      mail_nickname: nickname, group_types: JSON.stringify(unified ? ['Unified'] : g.kind === 'dynamicSecurity' ? ['DynamicMembership'] : []),
      security_enabled: unified ? 0 : 1, mail_enabled: unified ? 1 : 0, membership_rule: g.membershipRule,
      is_assignable_to_role: 0, has_team: g.hasTeam ? 1 : 0, created_at: iso(400),
    });
    for (const id of g.owners) core.directory.addRelation(g.id, id, 'owner');
    for (const id of g.members) core.directory.addRelation(g.id, id, 'member');
  }
}

/**
 * The seeded demo tenant: directory plus three reviews in three states, produced by the emulator's own
 * create/decide/lifecycle path at past times, so their data is exactly what Graph would hold.
 */
export function seedDemoTenant(core: EmulatorCore, tenant: Tenant, now: Date): void {
  seedDirectory(core, tenant, now);
  const byId = (id: string): TenantUser => {
    const found = tenant.users.find((u) => u.id === id);
    if (!found) throw new Error(`Demo tenant has no user ${id}`);
    return found;
  };
  const adele = actor(byId(USER.adele));
  const at = (daysFromNow: number): Date => new Date(now.getTime() + daysFromNow * DAY);
  const settings = (extra: object): object => ({
    mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true,
    recommendationsEnabled: true, defaultDecisionEnabled: false, autoApplyDecisionsEnabled: false, ...extra,
  });
  const run = (time: Date): void => {
    core.lifecycle.runUntil(time);
  };

  // Finance Apps: annual, owner Diego reviews; completed 46 days ago, default Approve, auto-applied (two denied, removed).
  const financeStart = at(-60);
  const finance = core.service.create({
    displayName: SEEDED_REVIEWS.financeAnnual,
    descriptionForAdmins: 'Yearly check of who can use the finance applications.',
    descriptionForReviewers: 'Confirm each member still needs the finance applications.',
    scope: scope(GROUP.financeApps, false), reviewers: owners(GROUP.financeApps), fallbackReviewers: user(USER.adele),
    settings: settings({
      defaultDecisionEnabled: true, defaultDecision: 'Approve', autoApplyDecisionsEnabled: true, instanceDurationInDays: 14,
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 12 }, range: { type: 'noEnd', startDate: formatDate(financeStart) } },
    }),
  }, adele, financeStart);
  run(financeStart);
  const financeInstance = core.reviews.instances(finance.id, { sql: '1', params: [] }, { top: 1, skip: 0, after: undefined }).items[0];
  if (financeInstance) {
    const diego = actor(byId(USER.diego));
    for (const id of FINANCE_APPS_DENIED) {
      core.service.batchRecord(financeInstance, { decision: 'Deny', justification: 'Moved out of the finance team.', principalId: id }, diego, at(-55));
    }
    for (let n = 1; n <= 10; n += 1) {
      core.service.batchRecord(financeInstance, { decision: 'Approve', justification: 'Still in finance operations.', principalId: staffId(n) }, diego, at(-54));
    }
  }
  run(at(-45));

  // Sales Team guests: quarterly, owner Megan reviews; in progress with Lynne approved.
  const salesStart = at(-5);
  const sales = core.service.create({
    displayName: SEEDED_REVIEWS.salesGuests,
    descriptionForAdmins: 'Quarterly review of the guests in the Sales Team.',
    descriptionForReviewers: 'Do these guests still need access to the Sales Team?',
    scope: scope(GROUP.salesTeam, true), reviewers: owners(GROUP.salesTeam), fallbackReviewers: user(USER.adele),
    settings: settings({
      instanceDurationInDays: 21,
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: formatDate(salesStart) } },
    }),
  }, adele, salesStart);
  run(at(-4));
  const salesInstance = core.reviews.instances(sales.id, { sql: '1', params: [] }, { top: 1, skip: 0, after: undefined }).items[0];
  if (salesInstance) {
    core.service.batchRecord(salesInstance, { decision: 'Approve', justification: 'Works with us on the Q4 campaign.', principalId: USER.lynne },
      actor(byId(USER.megan)), at(-3));
  }

  // Project Falcon guests: one-time, starts in a week; the group has no owners, so the fallback (Adele) will review.
  const falconCreated = at(-1);
  core.service.create({
    displayName: SEEDED_REVIEWS.falconGuests,
    descriptionForAdmins: 'One-time review of the partner guests in Project Falcon.',
    descriptionForReviewers: 'Project Falcon has no owners: please confirm which partner guests still need access.',
    scope: scope(GROUP.projectFalcon, true), reviewers: owners(GROUP.projectFalcon), fallbackReviewers: user(USER.adele),
    settings: settings({
      instanceDurationInDays: 14,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: formatDate(at(7)) } },
    }),
  }, adele, falconCreated);
}
