/**
 * The demo tenant of the local mode (spec/local-tenant.md). Ids are a contract: tests, the Playground
 * configuration and the README rely on them. Times are relative ("days ago") and materialised when the
 * emulator seeds its store, so the demo stays realistic whatever the date.
 */

export const TENANT_ID = '11111111-1111-4111-8111-111111111111';
export const TENANT_DOMAIN = 'contoso.local';
export const BOT_APP_ID = '22222222-2222-4222-8222-222222222222';
export const BOT_APP_SECRET = 'local-bot-secret';
/** A second app registration with write permissions, used by tests and scripts (never by the bot). */
export const AUTOMATION_APP_ID = '33333333-3333-4333-8333-333333333333';
export const AUTOMATION_APP_SECRET = 'local-automation-secret';
/** Microsoft Teams desktop/mobile client id: the `azp` of the SSO tokens Teams hands to the bot. */
export const TEAMS_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

/** Directory role template ids as in Microsoft Entra ID. */
export const DIRECTORY_ROLES = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Identity Governance Administrator': '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'Security Reader': '5d6b6bb7-de71-4623-b4af-96380a352509',
  'Security Administrator': '194ae4cb-b126-40b2-bd5b-6091b380977d',
} as const;
export type DirectoryRoleName = keyof typeof DIRECTORY_ROLES;

export interface TenantUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  mail: string;
  userType: 'Member' | 'Guest';
  jobTitle: string | null;
  department: string | null;
  roles: DirectoryRoleName[];
  managerId: string | null;
  /** Days since the last interactive sign-in; null = never signed in. */
  lastSignInDaysAgo: number | null;
  /** False: the on-behalf-of flow answers consent_required (AADSTS65001) until the user consents. */
  consented: boolean;
}

export interface TenantGroup {
  id: string;
  displayName: string;
  description: string;
  kind: 'microsoft365' | 'security' | 'dynamicSecurity';
  hasTeam: boolean;
  membershipRule: string | null;
  owners: string[];
  members: string[];
}

export interface TenantApp {
  appId: string;
  displayName: string;
  secret: string;
  servicePrincipalId: string;
  identifierUris: string[];
  /** Delegated Graph permissions granted (admin consent) to the app. */
  delegated: string[];
  /** Application Graph permissions (app roles) granted to the app. */
  application: string[];
}

export interface Tenant {
  tenantId: string;
  domain: string;
  users: TenantUser[];
  groups: TenantGroup[];
  apps: TenantApp[];
}

export const USER = {
  adele: 'aaaaaaaa-0000-4000-8000-000000000001',
  lee: 'aaaaaaaa-0000-4000-8000-000000000002',
  megan: 'aaaaaaaa-0000-4000-8000-000000000003',
  alex: 'aaaaaaaa-0000-4000-8000-000000000004',
  grady: 'aaaaaaaa-0000-4000-8000-000000000005',
  diego: 'aaaaaaaa-0000-4000-8000-000000000006',
  ramesh: 'aaaaaaaa-0000-4000-8000-000000000007',
  lynne: 'aaaaaaaa-0000-4000-8000-000000000008',
  pradeep: 'aaaaaaaa-0000-4000-8000-000000000009',
  isaiah: 'aaaaaaaa-0000-4000-8000-000000000010',
  johanna: 'aaaaaaaa-0000-4000-8000-000000000011',
  joni: 'aaaaaaaa-0000-4000-8000-000000000012',
  lidia: 'aaaaaaaa-0000-4000-8000-000000000013',
  miriam: 'aaaaaaaa-0000-4000-8000-000000000014',
  kat: 'aaaaaaaa-0000-4000-8000-000000000015',
  oscar: 'aaaaaaaa-0000-4000-8000-000000000016',
  sanjay: 'aaaaaaaa-0000-4000-8000-000000000017',
} as const;

export const GROUP = {
  salesTeam: 'bbbbbbbb-0000-4000-8000-000000000001',
  financeApps: 'bbbbbbbb-0000-4000-8000-000000000002',
  projectFalcon: 'bbbbbbbb-0000-4000-8000-000000000003',
  allStaff: 'bbbbbbbb-0000-4000-8000-000000000004',
} as const;

function member(
  id: string, givenName: string, surname: string, extra: Partial<TenantUser> = {},
): TenantUser {
  const alias = givenName.toLowerCase();
  return {
    id, displayName: `${givenName} ${surname}`, givenName, surname,
    userPrincipalName: `${alias}@${TENANT_DOMAIN}`, mail: `${alias}@${TENANT_DOMAIN}`,
    userType: 'Member', jobTitle: null, department: null, roles: [], managerId: null,
    lastSignInDaysAgo: 2, consented: true, ...extra,
  };
}

function guest(id: string, givenName: string, surname: string, homeDomain: string, lastSignInDaysAgo: number | null): TenantUser {
  const mail = `${givenName.toLowerCase()}@${homeDomain}`;
  return {
    id, displayName: `${givenName} ${surname} (guest)`, givenName, surname,
    userPrincipalName: `${mail.replace('@', '_')}#EXT#@${TENANT_DOMAIN}`, mail,
    userType: 'Guest', jobTitle: null, department: null, roles: [], managerId: null,
    lastSignInDaysAgo, consented: true,
  };
}

const FIRST = ['Allan', 'Ben', 'Carla', 'Dana', 'Emil', 'Fiona', 'Gus', 'Hana', 'Ivan', 'Jade', 'Karl', 'Lena',
  'Marco', 'Nina', 'Omar', 'Paula', 'Quinn', 'Rosa', 'Sven', 'Tara'];
const LAST = ['Abbott', 'Baker', 'Castro', 'Dietz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Iwata', 'Jensen',
  'Kowalski'];

/** Staff users `cccccccc-0000-4000-8000-000000000NNN`, NNN = 001..230, deterministic names and sign-ins. */
export function staffId(n: number): string {
  return `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function staff(n: number): TenantUser {
  const givenName = FIRST[(n - 1) % FIRST.length] ?? 'Staff';
  const surname = LAST[Math.floor((n - 1) / FIRST.length) % LAST.length] ?? 'Member';
  const alias = `${givenName}.${surname}${n}`.toLowerCase();
  const managerId = n <= 120 ? USER.lee : n <= 200 ? USER.diego : null;
  const lastSignInDaysAgo = n % 17 === 0 ? null : (n * 37) % 120;
  return {
    ...member(staffId(n), givenName, surname, { department: 'Staff', managerId, lastSignInDaysAgo }),
    displayName: `${givenName} ${surname} ${String(n).padStart(3, '0')}`,
    userPrincipalName: `${alias}@${TENANT_DOMAIN}`, mail: `${alias}@${TENANT_DOMAIN}`,
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Finance Apps has 30 members once the seeded annual review has run: its two denied members
 * (staff 031 and 032) were removed when the review's decisions were applied.
 */
export const FINANCE_APPS_DENIED = [staffId(31), staffId(32)];

export const DEMO_TENANT: Tenant = {
  tenantId: TENANT_ID,
  domain: TENANT_DOMAIN,
  users: [
    member(USER.adele, 'Adele', 'Vance', { roles: ['Identity Governance Administrator'], jobTitle: 'Identity governance lead', lastSignInDaysAgo: 0 }),
    member(USER.lee, 'Lee', 'Gu', { roles: ['User Administrator'], jobTitle: 'IT administrator', lastSignInDaysAgo: 1 }),
    member(USER.megan, 'Megan', 'Bowen', { jobTitle: 'Sales manager', lastSignInDaysAgo: 1 }),
    member(USER.alex, 'Alex', 'Wilber', { jobTitle: 'Sales representative', managerId: USER.megan, lastSignInDaysAgo: 3 }),
    member(USER.grady, 'Grady', 'Archie', { roles: ['Global Reader'], jobTitle: 'Auditor', lastSignInDaysAgo: 5 }),
    member(USER.diego, 'Diego', 'Siciliani', { jobTitle: 'Finance applications owner', lastSignInDaysAgo: 1 }),
    guest(USER.ramesh, 'Ramesh', 'Patel', 'fabrikam.com', 200),
    guest(USER.lynne, 'Lynne', 'Robbins', 'northwind.example', 1),
    member(USER.pradeep, 'Pradeep', 'Gupta', { jobTitle: 'Analyst', consented: false, lastSignInDaysAgo: 4 }),
    member(USER.isaiah, 'Isaiah', 'Langer', { managerId: USER.megan, lastSignInDaysAgo: 10 }),
    member(USER.johanna, 'Johanna', 'Lorenz', { managerId: USER.megan, lastSignInDaysAgo: 45 }),
    member(USER.joni, 'Joni', 'Sherman', { managerId: USER.lee, lastSignInDaysAgo: null }),
    member(USER.lidia, 'Lidia', 'Holloway', { managerId: USER.lee, lastSignInDaysAgo: 6 }),
    member(USER.miriam, 'Miriam', 'Graham', { lastSignInDaysAgo: 12 }),
    guest(USER.kat, 'Kat', 'Larson', 'tailspin.example', 15),
    guest(USER.oscar, 'Oscar', 'Ward', 'tailspin.example', 90),
    guest(USER.sanjay, 'Sanjay', 'Rao', 'litware.example', null),
    ...range(1, 230).map(staff),
  ],
  groups: [
    {
      id: GROUP.salesTeam, displayName: 'Sales Team', description: 'Sales department team and its guests',
      kind: 'microsoft365', hasTeam: true, membershipRule: null, owners: [USER.megan],
      members: [USER.alex, USER.ramesh, USER.lynne, USER.isaiah, USER.johanna, USER.joni, USER.lidia, USER.miriam],
    },
    {
      id: GROUP.financeApps, displayName: 'Finance Apps', description: 'Access to the finance applications',
      kind: 'security', hasTeam: false, membershipRule: null, owners: [USER.diego],
      members: range(1, 32).map(staffId),
    },
    {
      id: GROUP.projectFalcon, displayName: 'Project Falcon', description: 'Project Falcon partners workspace',
      kind: 'microsoft365', hasTeam: false, membershipRule: null, owners: [],
      members: [USER.isaiah, USER.miriam, USER.kat, USER.oscar, USER.sanjay],
    },
    {
      id: GROUP.allStaff, displayName: 'All Staff', description: 'Every member of the Staff department',
      kind: 'dynamicSecurity', hasTeam: false, membershipRule: '(user.department -eq "Staff")', owners: [],
      members: range(1, 200).map(staffId),
    },
  ],
  apps: [
    {
      appId: BOT_APP_ID, displayName: 'Access Reviews bot (local)', secret: BOT_APP_SECRET,
      servicePrincipalId: '22222222-0000-4000-8000-000000000001',
      identifierUris: [`api://botid-${BOT_APP_ID}`],
      delegated: ['AccessReview.ReadWrite.All', 'Group.Read.All', 'User.ReadBasic.All', 'User.Read', 'RoleManagement.Read.Directory'],
      application: ['AccessReview.Read.All', 'Group.Read.All', 'User.ReadBasic.All'],
    },
    {
      appId: AUTOMATION_APP_ID, displayName: 'Governance automation (local, tests only)', secret: AUTOMATION_APP_SECRET,
      servicePrincipalId: '33333333-0000-4000-8000-000000000001',
      identifierUris: [`api://${AUTOMATION_APP_ID}`],
      delegated: [],
      application: ['AccessReview.ReadWrite.All', 'Group.Read.All', 'User.Read.All'],
    },
  ],
};

/** What each demo user is for, as `npm start` and the README present them. */
export const DEMO_USERS: Array<{ id: string; note: string }> = [
  { id: USER.adele, note: 'Identity Governance Administrator: creates and manages reviews (the Playground user)' },
  { id: USER.lee, note: 'User Administrator: may create and manage reviews too' },
  { id: USER.megan, note: 'no role; owner of Sales Team, reviewer of its guest review, manager of Alex' },
  { id: USER.alex, note: 'no role; member of Sales Team' },
  { id: USER.grady, note: 'Global Reader: reads every review, changes none' },
  { id: USER.diego, note: 'no role; owner of Finance Apps' },
  { id: USER.ramesh, note: 'guest in Sales Team, last signed in 200 days ago' },
  { id: USER.lynne, note: 'guest in Sales Team, signed in yesterday' },
  { id: USER.pradeep, note: 'has not consented: sign-in answers consent_required' },
];
