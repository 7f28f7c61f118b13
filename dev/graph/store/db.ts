import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * The emulator's state in one SQLite file. Directory objects and decision items are plain columns (bulk
 * lifecycle steps are single SQL statements); definitions and instances keep their Graph JSON in `data`.
 * `seq` columns give stable keyset paging.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, given_name TEXT, surname TEXT,
  upn TEXT NOT NULL UNIQUE COLLATE NOCASE, mail TEXT, user_type TEXT NOT NULL, account_enabled INTEGER NOT NULL DEFAULT 1,
  job_title TEXT, department TEXT, manager_id TEXT, last_sign_in TEXT, created_at TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '[]', delete_after TEXT);
CREATE INDEX IF NOT EXISTS users_name ON users(display_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS users_manager ON users(manager_id);
CREATE TABLE IF NOT EXISTS groups (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, description TEXT, mail TEXT,
  mail_nickname TEXT, group_types TEXT NOT NULL DEFAULT '[]', security_enabled INTEGER NOT NULL,
  mail_enabled INTEGER NOT NULL, membership_rule TEXT, is_assignable_to_role INTEGER NOT NULL DEFAULT 0,
  has_team INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS groups_name ON groups(display_name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS memberships (
  seq INTEGER PRIMARY KEY, group_id TEXT NOT NULL, member_id TEXT NOT NULL, relation TEXT NOT NULL,
  UNIQUE (group_id, relation, member_id));
CREATE INDEX IF NOT EXISTS memberships_member ON memberships(member_id, relation);
CREATE TABLE IF NOT EXISTS definitions (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, status TEXT NOT NULL,
  created_by TEXT, scope_query TEXT, next_occurrence INTEGER NOT NULL DEFAULT 0, next_run_at TEXT,
  data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS definitions_next ON definitions(next_run_at);
CREATE TABLE IF NOT EXISTS instances (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, definition_id TEXT NOT NULL, status TEXT NOT NULL,
  start_at TEXT NOT NULL, end_at TEXT NOT NULL, group_id TEXT, applied INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL, settle_at TEXT);
CREATE INDEX IF NOT EXISTS instances_definition ON instances(definition_id, seq);
CREATE INDEX IF NOT EXISTS instances_active ON instances(status, end_at);
CREATE TABLE IF NOT EXISTS instance_reviewers (
  instance_id TEXT NOT NULL, user_id TEXT NOT NULL, all_items INTEGER NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (instance_id, user_id));
CREATE INDEX IF NOT EXISTS instance_reviewers_user ON instance_reviewers(user_id);
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, instance_id TEXT NOT NULL, definition_id TEXT NOT NULL,
  principal_id TEXT NOT NULL, principal_name TEXT, principal_upn TEXT, principal_type TEXT NOT NULL,
  resource_id TEXT, resource_name TEXT, decision TEXT NOT NULL DEFAULT 'NotReviewed', justification TEXT NOT NULL DEFAULT '',
  recommendation TEXT NOT NULL, reviewed_by_id TEXT, reviewed_by_name TEXT, reviewed_by_upn TEXT, reviewed_at TEXT,
  applied_by_id TEXT, applied_by_name TEXT, applied_by_upn TEXT, applied_at TEXT, apply_result TEXT NOT NULL DEFAULT 'New');
CREATE UNIQUE INDEX IF NOT EXISTS decisions_id ON decisions(instance_id, id);
CREATE INDEX IF NOT EXISTS decisions_page ON decisions(instance_id, seq);
CREATE INDEX IF NOT EXISTS decisions_by_decision ON decisions(instance_id, decision, seq);
CREATE INDEX IF NOT EXISTS decisions_by_recommendation ON decisions(instance_id, recommendation, seq);
CREATE INDEX IF NOT EXISTS decisions_by_apply ON decisions(instance_id, apply_result, seq);
CREATE INDEX IF NOT EXISTS decisions_principal ON decisions(instance_id, principal_id);
CREATE TABLE IF NOT EXISTS item_reviewers (
  decision_seq INTEGER NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (user_id, decision_seq));
CREATE INDEX IF NOT EXISTS item_reviewers_item ON item_reviewers(decision_seq);
`;

const TABLES = ['meta', 'users', 'groups', 'memberships', 'definitions', 'instances', 'instance_reviewers', 'decisions', 'item_reviewers'];

/** Opens (creating if needed) the emulator database; `:memory:` for unit tests. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  migrate(db);
  return db;
}

/** Columns added after a release: a data directory made by an older version gets them (state persists in `.local/`). */
function migrate(db: Db): void {
  const columns = (db.prepare('PRAGMA table_info(instances)').all() as Array<{ name: string }>).map((c) => c.name);
  if (!columns.includes('settle_at')) db.exec('ALTER TABLE instances ADD COLUMN settle_at TEXT');
  db.exec('CREATE INDEX IF NOT EXISTS instances_settle ON instances(settle_at) WHERE settle_at IS NOT NULL');
}

/** Empties every table (the seeded tenant is written again by the caller). */
export function clearDatabase(db: Db): void {
  db.transaction(() => {
    for (const table of TABLES) db.prepare(`DELETE FROM ${table}`).run();
  })();
}

export function readMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** A v4-shaped random GUID computed by SQLite, for rows created in bulk by INSERT … SELECT. */
export const SQL_GUID = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
