import type { GroupRow, UserRow } from './store/directoryStore';

/** Properties Graph returns for a user without `$select` (v1.0 default set). */
const USER_DEFAULT = ['id', 'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
  'preferredLanguage', 'surname', 'userPrincipalName'];
/** Every user property the emulator knows, for `$select`. */
export const USER_PROPERTIES = [...USER_DEFAULT, 'userType', 'accountEnabled', 'department', 'createdDateTime',
  'signInActivity', 'onPremisesSyncEnabled'];

export const GROUP_PROPERTIES = ['id', 'displayName', 'description', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled',
  'groupTypes', 'membershipRule', 'membershipRuleProcessingState', 'isAssignableToRole', 'resourceProvisioningOptions',
  'visibility', 'createdDateTime'];

/** Every property of a user; `$select` picks from these, and without it only Graph's default set is returned. */
export function userJson(row: UserRow): Record<string, unknown> {
  return {
    id: row.id,
    businessPhones: [],
    displayName: row.display_name,
    givenName: row.given_name,
    jobTitle: row.job_title,
    mail: row.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: row.surname,
    userPrincipalName: row.upn,
    userType: row.user_type,
    accountEnabled: row.account_enabled === 1,
    department: row.department,
    createdDateTime: row.created_at,
    onPremisesSyncEnabled: null,
    signInActivity: { lastSignInDateTime: row.last_sign_in, lastNonInteractiveSignInDateTime: row.last_sign_in },
  };
}

/** A user as Graph returns it: the `$select`ed properties, or the default set. */
export function userDefault(row: UserRow): Record<string, unknown> {
  const all = userJson(row);
  return Object.fromEntries(USER_DEFAULT.map((key) => [key, all[key]]));
}

export function groupJson(row: GroupRow): Record<string, unknown> {
  const groupTypes = JSON.parse(row.group_types) as string[];
  return {
    id: row.id,
    displayName: row.display_name,
    description: row.description,
    mail: row.mail,
    mailNickname: row.mail_nickname,
    mailEnabled: row.mail_enabled === 1,
    securityEnabled: row.security_enabled === 1,
    groupTypes,
    membershipRule: row.membership_rule,
    membershipRuleProcessingState: row.membership_rule === null ? null : 'On',
    isAssignableToRole: row.is_assignable_to_role === 1,
    resourceProvisioningOptions: row.has_team === 1 ? ['Team'] : [],
    visibility: groupTypes.includes('Unified') ? 'Private' : null,
    createdDateTime: row.created_at,
  };
}

export const isDynamic = (row: GroupRow): boolean => row.membership_rule !== null;
export const isUnified = (row: GroupRow): boolean => (JSON.parse(row.group_types) as string[]).includes('Unified');
