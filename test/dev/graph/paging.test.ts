import fc from 'fast-check';
import Database from 'better-sqlite3';
import { pageRows, type Paging } from '../../../dev/graph/store/paging';

/**
 * `$skip` pages start from the offsets earlier pages of the same query reached, and counts are remembered, while the
 * database does not change. Against a plain model of the table: any mix of reads (any `$skip`, `$top`, filter) and
 * writes (insert, delete, update) answers exactly what a fresh query would.
 */
type Op =
  | { kind: 'read'; key: string; skip: number; top: number }
  | { kind: 'insert'; key: string }
  | { kind: 'delete'; index: number }
  | { kind: 'update'; index: number; key: string };

const key = fc.constantFrom('a', 'b');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('read' as const), key, skip: fc.nat(60), top: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('update' as const), index: fc.nat(), key }) },
);

test('pages by $skip and counts stay exact across any reads and writes', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b'), { maxLength: 50 }), fc.array(op, { maxLength: 40 }), (initial, ops) => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, k TEXT NOT NULL)');
      const model: Array<{ seq: number; k: string }> = [];
      const insert = (k: string): void => {
        const { lastInsertRowid } = db.prepare('INSERT INTO t (k) VALUES (?)').run(k);
        model.push({ seq: Number(lastInsertRowid), k });
      };
      initial.forEach(insert);
      for (const step of ops) {
        if (step.kind === 'insert') insert(step.key);
        else if (step.kind === 'delete' || step.kind === 'update') {
          const row = model[step.index % Math.max(1, model.length)];
          if (row === undefined) continue;
          if (step.kind === 'delete') {
            db.prepare('DELETE FROM t WHERE seq = ?').run(row.seq);
            model.splice(model.indexOf(row), 1);
          } else {
            db.prepare('UPDATE t SET k = ? WHERE seq = ?').run(step.key, row.seq);
            row.k = step.key;
          }
        } else {
          const paging: Paging = { top: step.top, skip: step.skip, after: undefined, withCount: true };
          const page = pageRows<{ k: string }>(db, { columns: 't.k', from: 't', where: { sql: 't.k = ?', params: [step.key] }, seq: 't.seq' }, paging);
          const matching = model.filter((row) => row.k === step.key);
          expect(page.items.map((row) => row.seq)).toEqual(matching.slice(step.skip, step.skip + step.top).map((row) => row.seq));
          expect(page.count).toBe(matching.length);
          expect(page.moreAfter !== undefined).toBe(matching.length > step.skip + step.top);
        }
      }
    } finally {
      db.close();
    }
  }), { numRuns: 300 });
});
