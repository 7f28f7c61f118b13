import { collectDecisions, type ExportProgress } from '../../../bot/exports/collect';
import type { AccessReviewsApi, ExportedDecision, ListPage } from '../../../bot/graph/apis';

/**
 * The collection streams: a Graph that makes each page on demand (never holding the review), a sink that keeps
 * nothing; rows are written one Graph page per write, in order, and counted.
 */
const PAGE = 100;

function lazyGraph(instances: Record<string, number>): Pick<AccessReviewsApi, 'readInstancesPage' | 'readDecisionsPage'> {
  return {
    readInstancesPage: (definitionId, link) => {
      const ids = Object.keys(instances).filter((id) => id.startsWith(definitionId));
      const start = Number(link ?? 0);
      const page: ListPage<{ id: string }> = { items: ids.slice(start, start + 1).map((id) => ({ id })), nextLink: start + 1 < ids.length ? String(start + 1) : undefined };
      return Promise.resolve(page);
    },
    readDecisionsPage: (_definitionId, instanceId, link) => {
      const total = instances[instanceId] ?? 0;
      const start = Number(link ?? 0);
      const items: ExportedDecision[] = Array.from({ length: Math.min(PAGE, total - start) }, (_, i) => ({
        id: `${instanceId}-${start + i}`, decision: 'Approve', justification: `row ${start + i}, "quoted"`, principal: { id: `p${start + i}`, displayName: `User ${start + i}` },
      }));
      return Promise.resolve({ items, nextLink: start + PAGE < total ? String(start + PAGE) : undefined });
    },
  };
}

test('20,050 decisions of three instances of two reviews (3 instance pages, 201 decision pages): every row written, one page per write, progress after every page', async () => {
  const graph = lazyGraph({ 'a-1': 10_000, 'a-2': 50, 'b-1': 10_000 });
  const writes: number[] = [];
  let text = 0;
  const progress: ExportProgress[] = [];
  const result = await collectDecisions(graph, [{ id: 'a', displayName: 'A' }, { id: 'b', displayName: 'B' }], {
    write: (chunk) => {
      writes.push((chunk.match(/\r\n/g) ?? []).length);
      text += chunk.length;
      return Promise.resolve();
    },
  }, (state) => {
    progress.push({ ...state });
    return Promise.resolve();
  });
  expect(result).toEqual({ reviewsTotal: 2, reviewsRead: 2, pagesRead: 3 + 100 + 1 + 100, rows: 20_050 });
  expect(writes[0]).toBe(1);
  expect(writes.slice(1).reduce((a, b) => a + b, 0)).toBe(20_050);
  expect(Math.max(...writes)).toBe(PAGE);
  expect(text).toBeGreaterThan(20_050 * 20);
  expect(progress.map((p) => p.rows)).toEqual([...progress.map((p) => p.rows)].sort((a, b) => a - b));
  expect(progress.at(-1)).toEqual(result);
});

test('a review without instances is read and counted, with only its header', async () => {
  const writes: string[] = [];
  const result = await collectDecisions(lazyGraph({}), [{ id: 'z' }], { write: (chunk) => Promise.resolve(void writes.push(chunk)) }, () => Promise.resolve());
  expect(result).toEqual({ reviewsTotal: 1, reviewsRead: 1, pagesRead: 1, rows: 0 });
  expect(writes).toHaveLength(1);
});
