import type { SqlFragment } from '../filter';
import type { Page } from '../odata';
import type { Db } from './db';
import { and, pageRows, prepared, type Paging } from './paging';

export interface DefinitionRow {
  id: string;
  display_name: string;
  status: string;
  created_by: string | null;
  scope_query: string | null;
  next_occurrence: number;
  next_run_at: string | null;
  data: string;
}

export interface InstanceRow {
  id: string;
  definition_id: string;
  status: string;
  start_at: string;
  end_at: string;
  group_id: string | null;
  applied: number;
  data: string;
  /** When a transitional status (Initializing, Completing, Applying…) moves on; null when the status holds. */
  settle_at: string | null;
}

const DEFINITION_COLUMNS = 'd.id, d.display_name, d.status, d.created_by, d.scope_query, d.next_occurrence, d.next_run_at, d.data';
const INSTANCE_COLUMNS = 'i.id, i.definition_id, i.status, i.start_at, i.end_at, i.group_id, i.applied, i.data, i.settle_at';
/** Instance statuses from which the instance's end (time or stop) completes it. */
export const RUNNING_STATUSES = ['Initializing', 'Starting', 'InProgress'];
const RUNNING_SQL = RUNNING_STATUSES.map((s) => `'${s}'`).join(', ');

const REVIEWED_BY = `EXISTS (SELECT 1 FROM instance_reviewers ir JOIN instances ri ON ri.id = ir.instance_id
  WHERE ri.definition_id = d.id AND ir.user_id = ?)`;

/** Definitions and instances (Graph JSON in `data`, with the columns the lifecycle and filters need). */
export class ReviewStore {
  constructor(private readonly db: Db) {}

  insertDefinition(row: DefinitionRow): void {
    prepared(this.db, `INSERT INTO definitions (id, display_name, status, created_by, scope_query, next_occurrence, next_run_at, data)
      VALUES (@id, @display_name, @status, @created_by, @scope_query, @next_occurrence, @next_run_at, @data)`).run(row);
  }

  updateDefinition(row: Pick<DefinitionRow, 'id' | 'display_name' | 'status' | 'next_occurrence' | 'next_run_at' | 'data'>): void {
    prepared(this.db, `UPDATE definitions SET display_name = @display_name, status = @status, next_occurrence = @next_occurrence,
      next_run_at = @next_run_at, data = @data WHERE id = @id`).run(row);
  }

  definition(id: string): DefinitionRow | undefined {
    return prepared(this.db, `SELECT ${DEFINITION_COLUMNS} FROM definitions d WHERE d.id = ?`).get(id) as DefinitionRow | undefined;
  }

  definitions(where: SqlFragment, paging: Paging): Page<DefinitionRow> {
    return pageRows<DefinitionRow>(this.db, { columns: DEFINITION_COLUMNS, from: 'definitions d', where, seq: 'd.seq' }, paging);
  }

  /** Definitions with at least one instance the user reviews (`filterByCurrentUser(on='reviewer')`). */
  definitionsReviewedBy(userId: string, where: SqlFragment, paging: Paging): Page<DefinitionRow> {
    return this.definitions(and({ sql: REVIEWED_BY, params: [userId] }, where), paging);
  }

  isDefinitionReviewer(definitionId: string, userId: string): boolean {
    return prepared(this.db, `SELECT 1 FROM instance_reviewers ir JOIN instances ri ON ri.id = ir.instance_id
      WHERE ri.definition_id = ? AND ir.user_id = ? LIMIT 1`).get(definitionId, userId) !== undefined;
  }

  /** Deletes a definition with its instances, decisions and reviewer assignments. */
  deleteDefinition(id: string): void {
    this.db.transaction(() => {
      prepared(this.db, `DELETE FROM item_reviewers WHERE decision_seq IN (SELECT seq FROM decisions WHERE definition_id = ?)`).run(id);
      prepared(this.db, 'DELETE FROM decisions WHERE definition_id = ?').run(id);
      prepared(this.db, 'DELETE FROM instance_reviewers WHERE instance_id IN (SELECT id FROM instances WHERE definition_id = ?)').run(id);
      prepared(this.db, 'DELETE FROM instances WHERE definition_id = ?').run(id);
      prepared(this.db, 'DELETE FROM definitions WHERE id = ?').run(id);
    })();
  }

  /** The definition whose next occurrence is due first, if any is due at `nowIso`. */
  dueDefinition(nowIso: string): DefinitionRow | undefined {
    return prepared(this.db, `SELECT ${DEFINITION_COLUMNS} FROM definitions d WHERE d.next_run_at IS NOT NULL AND d.next_run_at <= ?
      ORDER BY d.next_run_at, d.seq LIMIT 1`).get(nowIso) as DefinitionRow | undefined;
  }

  insertInstance(row: InstanceRow): void {
    prepared(this.db, `INSERT INTO instances (id, definition_id, status, start_at, end_at, group_id, applied, data, settle_at)
      VALUES (@id, @definition_id, @status, @start_at, @end_at, @group_id, @applied, @data, @settle_at)`).run(row);
  }

  updateInstance(row: Pick<InstanceRow, 'id' | 'status' | 'end_at' | 'applied' | 'data' | 'settle_at'>): void {
    prepared(this.db, `UPDATE instances SET status = @status, end_at = @end_at, applied = @applied, data = @data, settle_at = @settle_at
      WHERE id = @id`).run(row);
  }

  instance(definitionId: string, instanceId: string): InstanceRow | undefined {
    return prepared(this.db, `SELECT ${INSTANCE_COLUMNS} FROM instances i WHERE i.definition_id = ? AND i.id = ?`)
      .get(definitionId, instanceId) as InstanceRow | undefined;
  }

  instances(definitionId: string, where: SqlFragment, paging: Paging): Page<InstanceRow> {
    return pageRows<InstanceRow>(this.db, {
      columns: INSTANCE_COLUMNS, from: 'instances i', seq: 'i.seq',
      where: and({ sql: 'i.definition_id = ?', params: [definitionId] }, where),
    }, paging);
  }

  instancesReviewedBy(definitionId: string, userId: string, where: SqlFragment, paging: Paging): Page<InstanceRow> {
    return this.instances(definitionId, and({
      sql: 'EXISTS (SELECT 1 FROM instance_reviewers ir WHERE ir.instance_id = i.id AND ir.user_id = ?)', params: [userId],
    }, where), paging);
  }

  /** The running instance that ends first, if it has ended at `nowIso`. */
  dueInstance(nowIso: string): InstanceRow | undefined {
    return prepared(this.db, `SELECT ${INSTANCE_COLUMNS} FROM instances i WHERE i.status IN (${RUNNING_SQL}) AND i.end_at <= ?
      ORDER BY i.end_at, i.seq LIMIT 1`).get(nowIso) as InstanceRow | undefined;
  }

  /** The instance whose transitional status moves on first, if that is due at `nowIso`. */
  dueSettlement(nowIso: string): InstanceRow | undefined {
    return prepared(this.db, `SELECT ${INSTANCE_COLUMNS} FROM instances i WHERE i.settle_at IS NOT NULL AND i.settle_at <= ?
      ORDER BY i.settle_at, i.seq LIMIT 1`).get(nowIso) as InstanceRow | undefined;
  }

  /** The distinct statuses of a definition's instances. */
  instanceStatuses(definitionId: string): string[] {
    return (prepared(this.db, 'SELECT DISTINCT status FROM instances WHERE definition_id = ?').all(definitionId) as Array<{ status: string }>)
      .map((row) => row.status);
  }

  /** Earliest time the lifecycle has something to do (an occurrence to start, an instance to end, a status to move on). */
  nextEvent(): string | undefined {
    const row = prepared(this.db, `SELECT min(t) AS t FROM (
      SELECT min(next_run_at) AS t FROM definitions WHERE next_run_at IS NOT NULL
      UNION ALL SELECT min(end_at) FROM instances WHERE status IN (${RUNNING_SQL})
      UNION ALL SELECT min(settle_at) FROM instances WHERE settle_at IS NOT NULL)`).get() as { t: string | null };
    return row.t ?? undefined;
  }
}
