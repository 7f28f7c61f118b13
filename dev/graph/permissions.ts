import type { Caller } from './auth';
import { forbidden } from './errors';

/** Graph permissions that allow an operation, delegated and application (least privileged first). */
export interface Permission {
  delegated: readonly string[];
  application: readonly string[];
}

const READ_WRITE = (area: string): string[] => [`${area}.Read.All`, `${area}.ReadWrite.All`];

export const PERMISSIONS = {
  reviewsRead: { delegated: READ_WRITE('AccessReview'), application: READ_WRITE('AccessReview') },
  reviewsWrite: { delegated: ['AccessReview.ReadWrite.All'], application: ['AccessReview.ReadWrite.All'] },
  me: { delegated: ['User.Read', 'User.ReadBasic.All', ...READ_WRITE('User'), ...READ_WRITE('Directory')], application: [] },
  usersRead: {
    delegated: ['User.ReadBasic.All', ...READ_WRITE('User'), ...READ_WRITE('Directory')],
    application: ['User.ReadBasic.All', ...READ_WRITE('User'), ...READ_WRITE('Directory')],
  },
  /** A user's manager: Graph's least privilege is User.Read.All (User.ReadBasic.All is not enough). */
  managerRead: { delegated: [...READ_WRITE('User'), ...READ_WRITE('Directory')], application: [...READ_WRITE('User'), ...READ_WRITE('Directory')] },
  groupsRead: {
    delegated: ['GroupMember.Read.All', ...READ_WRITE('Group'), ...READ_WRITE('Directory')],
    application: ['GroupMember.Read.All', ...READ_WRITE('Group'), ...READ_WRITE('Directory')],
  },
  memberOfRead: {
    delegated: ['GroupMember.Read.All', ...READ_WRITE('Group'), ...READ_WRITE('User'), ...READ_WRITE('Directory')],
    application: ['GroupMember.Read.All', ...READ_WRITE('Group'), ...READ_WRITE('User'), ...READ_WRITE('Directory')],
  },
  /**
   * Reading directory roles (directoryRole get/list): without it, a directoryObject collection such as memberOf still
   * lists the user's roles, but with limited information (`@odata.type` and `id` only), as Graph documents.
   */
  directoryRolesRead: {
    delegated: ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', ...READ_WRITE('Directory')],
    application: ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', ...READ_WRITE('Directory')],
  },
  teamsRead: {
    delegated: ['Team.ReadBasic.All', 'TeamSettings.Read.All', ...READ_WRITE('Group'), ...READ_WRITE('Directory')],
    application: ['Team.ReadBasic.All', 'TeamSettings.Read.All', ...READ_WRITE('Group'), ...READ_WRITE('Directory')],
  },
} satisfies Record<string, Permission>;

/** Whether the token carries one of the permissions. */
export function hasPermission(caller: Caller, permission: Permission): boolean {
  const granted = caller.kind === 'user' ? caller.scopes : caller.roles;
  const accepted = caller.kind === 'user' ? permission.delegated : permission.application;
  return accepted.some((p) => granted.has(p));
}

/** 403 unless the token carries one of the permissions (the scope check Graph makes before anything else). */
export function requirePermission(caller: Caller, permission: Permission): void {
  if (hasPermission(caller, permission)) return;
  const accepted = caller.kind === 'user' ? permission.delegated : permission.application;
  throw forbidden(accepted.length === 0
    ? 'This operation is not supported with application permissions; it needs a signed-in user.'
    : `Insufficient privileges to complete the operation. The token needs one of: ${accepted.join(', ')}.`);
}

/** Directory roles allowed to create, change and act on reviews of groups (reference section 1.6). */
export const REVIEW_WRITE_ROLES = ['Global Administrator', 'Identity Governance Administrator', 'User Administrator'];
/** Directory roles allowed to read every review of groups. */
export const REVIEW_READ_ROLES = [...REVIEW_WRITE_ROLES, 'Global Reader', 'Security Reader', 'Security Administrator'];

export function hasRole(caller: Caller, roles: readonly string[]): boolean {
  if (caller.kind !== 'user') return false;
  const own = JSON.parse(caller.user.roles) as string[];
  return own.some((role) => roles.includes(role));
}

export const delegatedOnly = (caller: Caller, operation: string): void => {
  if (caller.kind !== 'user') throw forbidden(`${operation} is not supported with application permissions; it needs a signed-in reviewer.`);
};
