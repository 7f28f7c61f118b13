import type { FilterField, SqlFragment } from '../filter';
import type { Page } from '../odata';
import type { Db } from './db';
import { and, countRows, pageRows, prepared, TRUE_SQL, type Paging } from './paging';

export interface UserRow {
  id: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  upn: string;
  mail: string | null;
  user_type: string;
  account_enabled: number;
  job_title: string | null;
  department: string | null;
  manager_id: string | null;
  last_sign_in: string | null;
  created_at: string;
  roles: string;
  delete_after: string | null;
}

export interface GroupRow {
  id: string;
  display_name: string;
  description: string | null;
  mail: string | null;
  mail_nickname: string | null;
  group_types: string;
  security_enabled: number;
  mail_enabled: number;
  membership_rule: string | null;
  is_assignable_to_role: number;
  has_team: number;
  created_at: string;
}

export type Relation = 'member' | 'owner';

const USER_COLUMNS = 'u.id, u.display_name, u.given_name, u.surname, u.upn, u.mail, u.user_type, u.account_enabled, u.job_title, ' +
  'u.department, u.manager_id, u.last_sign_in, u.created_at, u.roles, u.delete_after';
const GROUP_COLUMNS = 'g.id, g.display_name, g.description, g.mail, g.mail_nickname, g.group_types, g.security_enabled, ' +
  'g.mail_enabled, g.membership_rule, g.is_assignable_to_role, g.has_team, g.created_at';

/** `$filter` support on users, as Graph offers without advanced queries (plus userType, which the contract needs). */
export const USER_FILTERS: Record<string, FilterField> = {
  id: { sql: 'u.id', ops: ['eq', 'in'] },
  displayName: { sql: 'u.display_name', ops: ['eq', 'startswith', 'in'] },
  givenName: { sql: 'u.given_name', ops: ['eq', 'startswith'] },
  surname: { sql: 'u.surname', ops: ['eq', 'startswith'] },
  mail: { sql: 'u.mail', ops: ['eq', 'startswith', 'in'] },
  userPrincipalName: { sql: 'u.upn', ops: ['eq', 'startswith', 'in'] },
  userType: { sql: 'u.user_type', ops: ['eq', 'ne'] },
  accountEnabled: { sql: 'u.account_enabled', ops: ['eq', 'ne'], boolean: true },
  department: { sql: 'u.department', ops: ['eq', 'startswith'] },
};

export const GROUP_FILTERS: Record<string, FilterField> = {
  id: { sql: 'g.id', ops: ['eq', 'in'] },
  displayName: { sql: 'g.display_name', ops: ['eq', 'startswith', 'in'] },
  mail: { sql: 'g.mail', ops: ['eq', 'startswith'] },
  mailNickname: { sql: 'g.mail_nickname', ops: ['eq', 'startswith'] },
  securityEnabled: { sql: 'g.security_enabled', ops: ['eq', 'ne'], boolean: true },
  mailEnabled: { sql: 'g.mail_enabled', ops: ['eq', 'ne'], boolean: true },
  groupTypes: { sql: 'g.group_types', ops: ['any'] },
  resourceProvisioningOptions: { sql: "CASE g.has_team WHEN 1 THEN '[\"Team\"]' ELSE '[]' END", ops: ['any'] },
  isAssignableToRole: { sql: 'g.is_assignable_to_role', ops: ['eq'], boolean: true },
};

/** Users, groups and their memberships (owners and members; users only, no nested groups). */
export class DirectoryStore {
  constructor(private readonly db: Db) {}

  insertUser(user: UserRow): void {
    prepared(this.db, `INSERT INTO users (id, display_name, given_name, surname, upn, mail, user_type, account_enabled, job_title,
      department, manager_id, last_sign_in, created_at, roles, delete_after) VALUES (@id, @display_name, @given_name, @surname,
      @upn, @mail, @user_type, @account_enabled, @job_title, @department, @manager_id, @last_sign_in, @created_at, @roles,
      @delete_after)`).run(user);
  }

  insertGroup(group: GroupRow): void {
    prepared(this.db, `INSERT INTO groups (id, display_name, description, mail, mail_nickname, group_types, security_enabled,
      mail_enabled, membership_rule, is_assignable_to_role, has_team, created_at) VALUES (@id, @display_name, @description,
      @mail, @mail_nickname, @group_types, @security_enabled, @mail_enabled, @membership_rule, @is_assignable_to_role,
      @has_team, @created_at)`).run(group);
  }

  addRelation(groupId: string, memberId: string, relation: Relation): void {
    prepared(this.db, 'INSERT OR IGNORE INTO memberships (group_id, member_id, relation) VALUES (?, ?, ?)').run(groupId, memberId, relation);
  }

  /** Removes a membership; false when there was none. */
  removeRelation(groupId: string, memberId: string, relation: Relation): boolean {
    return prepared(this.db, 'DELETE FROM memberships WHERE group_id = ? AND member_id = ? AND relation = ?')
      .run(groupId, memberId, relation).changes > 0;
  }

  /** A user by object id or userPrincipalName. */
  user(idOrUpn: string): UserRow | undefined {
    return prepared(this.db, `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ? OR u.upn = ?`).get(idOrUpn, idOrUpn) as UserRow | undefined;
  }

  group(id: string): GroupRow | undefined {
    return prepared(this.db, `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.id = ?`).get(id) as GroupRow | undefined;
  }

  users(where: SqlFragment, paging: Paging): Page<UserRow> {
    return pageRows<UserRow>(this.db, { columns: USER_COLUMNS, from: 'users u', where, seq: 'u.seq' }, paging);
  }

  countUsers(where: SqlFragment): number {
    return countRows(this.db, 'users u', where);
  }

  groups(where: SqlFragment, paging: Paging): Page<GroupRow> {
    return pageRows<GroupRow>(this.db, { columns: GROUP_COLUMNS, from: 'groups g', where, seq: 'g.seq' }, paging);
  }

  countGroups(where: SqlFragment): number {
    return countRows(this.db, 'groups g', where);
  }

  /** Owners or members of a group, as users, optionally filtered. */
  related(groupId: string, relation: Relation, where: SqlFragment, paging: Paging): Page<UserRow> {
    return pageRows<UserRow>(this.db, {
      columns: USER_COLUMNS, from: 'memberships m JOIN users u ON u.id = m.member_id', seq: 'm.seq',
      where: and({ sql: 'm.group_id = ? AND m.relation = ?', params: [groupId, relation] }, where),
    }, paging);
  }

  countRelated(groupId: string, relation: Relation, where: SqlFragment = TRUE_SQL): number {
    return countRows(this.db, 'memberships m JOIN users u ON u.id = m.member_id',
      and({ sql: 'm.group_id = ? AND m.relation = ?', params: [groupId, relation] }, where));
  }

  hasRelation(groupId: string, userId: string, relation: Relation): boolean {
    return prepared(this.db, 'SELECT 1 FROM memberships WHERE group_id = ? AND member_id = ? AND relation = ?')
      .get(groupId, userId, relation) !== undefined;
  }

  /** Groups a user is a member of (directly; the tenant has no nested groups). */
  memberOf(userId: string, paging: Paging): Page<GroupRow> {
    return pageRows<GroupRow>(this.db, {
      columns: GROUP_COLUMNS, from: 'memberships m JOIN groups g ON g.id = m.group_id', seq: 'm.seq',
      where: { sql: "m.member_id = ? AND m.relation = 'member'", params: [userId] },
    }, paging);
  }

  setAccountEnabled(userId: string, enabled: boolean, deleteAfter: string | null): void {
    prepared(this.db, 'UPDATE users SET account_enabled = ?, delete_after = ? WHERE id = ?').run(enabled ? 1 : 0, deleteAfter, userId);
  }

  /** Deletes users whose disable-then-delete grace period ended; returns how many. */
  deleteExpiredUsers(nowIso: string): number {
    const expired = prepared(this.db, 'SELECT id FROM users WHERE delete_after IS NOT NULL AND delete_after <= ?').all(nowIso) as Array<{ id: string }>;
    for (const { id } of expired) {
      prepared(this.db, 'DELETE FROM memberships WHERE member_id = ?').run(id);
      prepared(this.db, 'DELETE FROM users WHERE id = ?').run(id);
    }
    return expired.length;
  }

  /** Earliest pending account deletion, for the lifecycle's next-event time. */
  nextDeletion(): string | undefined {
    const row = prepared(this.db, 'SELECT min(delete_after) AS t FROM users WHERE delete_after IS NOT NULL').get() as { t: string | null };
    return row.t ?? undefined;
  }
}
