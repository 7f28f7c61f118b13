import type { SqlFragment } from '../filter';
import type { Page } from '../odata';
import { SQL_GUID, type Db } from './db';
import type { UserRow } from './directoryStore';
import { and, pageRows, prepared, TRUE_SQL, type Paging } from './paging';

export interface DecisionRow {
  id: string;
  instance_id: string;
  definition_id: string;
  principal_id: string;
  principal_name: string | null;
  principal_upn: string | null;
  principal_type: string;
  resource_id: string | null;
  resource_name: string | null;
  decision: string;
  justification: string;
  recommendation: string;
  reviewed_by_id: string | null;
  reviewed_by_name: string | null;
  reviewed_by_upn: string | null;
  reviewed_at: string | null;
  applied_by_id: string | null;
  applied_by_name: string | null;
  applied_by_upn: string | null;
  applied_at: string | null;
  apply_result: string;
  /** The principal's last sign-in now (read from the directory; null when never, or when the user is gone). */
  principal_last_sign_in: string | null;
}

/** Who made a decision or applied it: a user, or the service itself ("AAD Access Reviews", zero id). */
export interface Actor {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

const LAST_SIGN_IN = '(SELECT u.last_sign_in FROM users u WHERE u.id = d.principal_id) AS principal_last_sign_in';
const FIELDS: ReadonlyArray<keyof DecisionRow> = ['id', 'instance_id', 'definition_id', 'principal_id', 'principal_name', 'principal_upn',
  'principal_type', 'resource_id', 'resource_name', 'decision', 'justification', 'recommendation', 'reviewed_by_id', 'reviewed_by_name',
  'reviewed_by_upn', 'reviewed_at', 'applied_by_id', 'applied_by_name', 'applied_by_upn', 'applied_at', 'apply_result', 'principal_last_sign_in'];
/** The SQL that reads `fields` of a DecisionRow (every field when undefined). */
const columnsOf = (fields: ReadonlyArray<keyof DecisionRow> = FIELDS): string =>
  FIELDS.filter((field) => fields.includes(field)).map((field) => (field === 'principal_last_sign_in' ? LAST_SIGN_IN : `d.${field}`)).join(', ') || 'd.id';
const COLUMNS = columnsOf();

const onlyReviewedBy = (userId: string | undefined): SqlFragment => userId === undefined ? TRUE_SQL
  : { sql: 'EXISTS (SELECT 1 FROM item_reviewers x WHERE x.user_id = ? AND x.decision_seq = d.seq)', params: [userId] };

/** Decision items and who reviews them. Bulk lifecycle steps are single statements, so 100,000 items stay cheap. */
export class DecisionStore {
  constructor(private readonly db: Db) {}

  /**
   * Creates one `NotReviewed` item per principal selected by `principals` (a FROM/WHERE over users `u`),
   * with the recommendation from the last sign-in: before `inactiveBefore` → Deny, never → NoInfoAvailable.
   */
  snapshot(item: { instanceId: string; definitionId: string; resourceId: string | null; resourceName: string | null },
    principals: { from: string; where: SqlFragment }, inactiveBefore: string): number {
    return prepared(this.db, `INSERT INTO decisions (id, instance_id, definition_id, principal_id, principal_name, principal_upn,
      principal_type, resource_id, resource_name, recommendation)
      SELECT ${SQL_GUID}, ?, ?, u.id, u.display_name, u.upn, 'user', ?, ?,
        CASE WHEN u.last_sign_in IS NULL THEN 'NoInfoAvailable' WHEN u.last_sign_in < ? THEN 'Deny' ELSE 'Approve' END
      FROM ${principals.from} WHERE ${principals.where.sql} ORDER BY u.display_name COLLATE NOCASE, u.id`)
      .run(item.instanceId, item.definitionId, item.resourceId, item.resourceName, inactiveBefore, ...principals.where.params).changes;
  }

  /** Records instance-level reviewers; `allItems` = they review every item (owners, named users, fallbacks). */
  addInstanceReviewers(instanceId: string, userIds: string[], allItems: boolean, at: string): void {
    const statement = prepared(this.db, `INSERT INTO instance_reviewers (instance_id, user_id, all_items, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (instance_id, user_id) DO UPDATE SET all_items = max(all_items, excluded.all_items)`);
    for (const userId of userIds) statement.run(instanceId, userId, allItems ? 1 : 0, at);
  }

  /** Per-item reviewers: each principal's manager (`./manager`) or the principal itself (self-review). */
  addItemReviewers(instanceId: string, kind: 'manager' | 'self', at: string): void {
    const reviewer = kind === 'manager' ? 'u.manager_id' : 'd.principal_id';
    prepared(this.db, `INSERT OR IGNORE INTO item_reviewers (decision_seq, user_id)
      SELECT d.seq, ${reviewer} FROM decisions d JOIN users u ON u.id = d.principal_id
      WHERE d.instance_id = ? AND ${reviewer} IS NOT NULL`).run(instanceId);
    this.syncPerItemReviewers(instanceId, at);
  }

  /** Fallback reviewers for the items that have no reviewer (no manager); returns how many items they got. */
  addFallbackForUnreviewedItems(instanceId: string, userIds: string[], at: string): number {
    let items = 0;
    const orphans = prepared(this.db, `SELECT d.seq FROM decisions d WHERE d.instance_id = ?
      AND NOT EXISTS (SELECT 1 FROM item_reviewers x WHERE x.decision_seq = d.seq)`).all(instanceId) as Array<{ seq: number }>;
    const insert = prepared(this.db, 'INSERT OR IGNORE INTO item_reviewers (decision_seq, user_id) VALUES (?, ?)');
    for (const { seq } of orphans) for (const userId of userIds) items += insert.run(seq, userId).changes;
    this.syncPerItemReviewers(instanceId, at);
    return items;
  }

  private syncPerItemReviewers(instanceId: string, at: string): void {
    prepared(this.db, `INSERT OR IGNORE INTO instance_reviewers (instance_id, user_id, all_items, created_at)
      SELECT DISTINCT ?, x.user_id, 0, ? FROM item_reviewers x JOIN decisions d ON d.seq = x.decision_seq WHERE d.instance_id = ?`)
      .run(instanceId, at, instanceId);
  }

  /** Replaces the instance-level reviewers (PUT instance); per-item reviewers stay. */
  replaceInstanceReviewers(instanceId: string, userIds: string[], at: string): void {
    prepared(this.db, 'DELETE FROM instance_reviewers WHERE instance_id = ? AND all_items = 1').run(instanceId);
    this.addInstanceReviewers(instanceId, userIds, true, at);
  }

  /** 'all' items, 'some' items (per-item reviewer) or 'none'. */
  reviewerAccess(instanceId: string, userId: string): 'all' | 'some' | 'none' {
    const row = prepared(this.db, 'SELECT all_items FROM instance_reviewers WHERE instance_id = ? AND user_id = ?')
      .get(instanceId, userId) as { all_items: number } | undefined;
    return row === undefined ? 'none' : row.all_items === 1 ? 'all' : 'some';
  }

  isItemReviewer(instanceId: string, decisionId: string, userId: string): boolean {
    const access = this.reviewerAccess(instanceId, userId);
    if (access !== 'some') return access === 'all';
    return prepared(this.db, `SELECT 1 FROM decisions d JOIN item_reviewers x ON x.decision_seq = d.seq
      WHERE d.instance_id = ? AND d.id = ? AND x.user_id = ?`).get(instanceId, decisionId, userId) !== undefined;
  }

  /**
   * Items of an instance; with `reviewerId`, only those that user reviews. With `fields`, the rows hold only those
   * (a `$select`ed list reads fewer columns: 100,000 items are read in 1,000 pages).
   */
  decisions(instanceId: string, where: SqlFragment, paging: Paging, reviewerId?: string, fields?: ReadonlyArray<keyof DecisionRow>): Page<DecisionRow> {
    const restrict = reviewerId !== undefined && this.reviewerAccess(instanceId, reviewerId) !== 'all'
      ? onlyReviewedBy(reviewerId) : TRUE_SQL;
    return pageRows<DecisionRow>(this.db, {
      columns: columnsOf(fields), from: 'decisions d', seq: 'd.seq',
      where: and({ sql: 'd.instance_id = ?', params: [instanceId] }, restrict, where),
    }, paging);
  }

  decision(instanceId: string, decisionId: string): DecisionRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM decisions d WHERE d.instance_id = ? AND d.id = ?`).get(instanceId, decisionId) as DecisionRow | undefined;
  }

  /**
   * Records a decision on the items matching `where` (and, unless the user reviews all items, only theirs).
   * Returns the number of items changed.
   */
  record(instanceId: string, where: SqlFragment, reviewerId: string | undefined,
    change: { /** A decision, or 'recommendation' to take each item's own. */ decision: string; justification: string; by: Actor; at: string }): number {
    const restrict = reviewerId !== undefined && this.reviewerAccess(instanceId, reviewerId) !== 'all'
      ? onlyReviewedBy(reviewerId) : TRUE_SQL;
    const decision = change.decision === 'recommendation' ? 'd.recommendation' : '?';
    const scope = and({ sql: 'd.instance_id = ?', params: [instanceId] }, restrict, where);
    return prepared(this.db, `UPDATE decisions AS d SET decision = ${decision}, justification = ?, reviewed_by_id = ?,
      reviewed_by_name = ?, reviewed_by_upn = ?, reviewed_at = ? WHERE ${scope.sql}`).run(
      ...(change.decision === 'recommendation' ? [] : [change.decision]),
      change.justification, change.by.id, change.by.displayName, change.by.userPrincipalName, change.at, ...scope.params,
    ).changes;
  }

  /** Every item back to `NotReviewed`. */
  reset(instanceId: string): void {
    prepared(this.db, `UPDATE decisions SET decision = 'NotReviewed', justification = '', reviewed_by_id = NULL,
      reviewed_by_name = NULL, reviewed_by_upn = NULL, reviewed_at = NULL WHERE instance_id = ?`).run(instanceId);
  }

  /**
   * Applies the decisions of a completed instance to group `groupId`: denied members are removed
   * (`AppliedSuccessfully`, or `AppliedSuccessfullyButObjectNotFound` when already gone), approvals need no change,
   * a dynamic group gets `ApplyNotSupported`. With `disableGuestsUntil`, denied guests are also disabled and deleted then.
   */
  apply(instanceId: string, groupId: string | null, options: { dynamic: boolean; disableGuestsUntil: string | null },
    by: Actor, at: string): void {
    const pending = "instance_id = ? AND applied_at IS NULL AND decision IN ('Approve', 'Deny')";
    const mark = (result: string, condition: string, params: unknown[] = []): void => {
      prepared(this.db, `UPDATE decisions SET apply_result = ?, applied_by_id = ?, applied_by_name = ?, applied_by_upn = ?,
        applied_at = ? WHERE ${pending} AND ${condition}`).run(result, by.id, by.displayName, by.userPrincipalName, at, instanceId, ...params);
    };
    this.db.transaction(() => {
      if (options.dynamic || groupId === null) {
        mark('ApplyNotSupported', '1');
        return;
      }
      const isMember = "EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = ? AND m.member_id = decisions.principal_id AND m.relation = 'member')";
      mark('AppliedSuccessfullyButObjectNotFound', `decision = 'Deny' AND NOT ${isMember}`, [groupId]);
      if (options.disableGuestsUntil !== null) {
        prepared(this.db, `UPDATE users SET account_enabled = 0, delete_after = ? WHERE user_type = 'Guest' AND id IN
          (SELECT principal_id FROM decisions WHERE ${pending} AND decision = 'Deny')`).run(options.disableGuestsUntil, instanceId);
      }
      prepared(this.db, `DELETE FROM memberships WHERE group_id = ? AND relation = 'member' AND member_id IN
        (SELECT principal_id FROM decisions WHERE ${pending} AND decision = 'Deny')`).run(groupId, instanceId);
      mark('AppliedSuccessfully', '1');
    })();
  }

  /** The individual reviewers an instance resolved to (`contactedReviewers`). */
  contactedReviewers(instanceId: string, paging: Paging): Page<UserRow & { contacted_at: string }> {
    return pageRows<UserRow & { contacted_at: string }>(this.db, {
      columns: 'u.id, u.display_name, u.upn, ir.created_at AS contacted_at',
      from: 'instance_reviewers ir JOIN users u ON u.id = ir.user_id', seq: 'ir.rowid',
      where: { sql: 'ir.instance_id = ?', params: [instanceId] },
    }, paging);
  }

  /** Number of decision items of an instance. */
  countItems(instanceId: string): number {
    return (prepared(this.db, 'SELECT count(*) AS n FROM decisions WHERE instance_id = ?').get(instanceId) as { n: number }).n;
  }
}
