import { CSV_BOM, csvLine } from '../../reviews/csv';
import { EXPORT_COLUMNS, exportRow, type ExportReview } from '../../reviews/exportRows';
import type { AccessReviewsApi } from '../graph/apis';

/** How far a collection has got: what the progress card shows. */
export interface ExportProgress {
  reviewsTotal: number;
  /** Reviews whose every instance and decision was read. */
  reviewsRead: number;
  /** Graph pages read (instances and decisions). */
  pagesRead: number;
  rows: number;
}

/** Where the CSV text goes (a file: see exportFiles.ts). */
export interface CsvSink {
  write(text: string): Promise<void>;
}

/**
 * Every decision item of every instance of `reviews` as CSV (a header, then one row per item), written page by
 * page: one Graph page of instances and one of decisions are held at a time, whatever the size of the reviews.
 * `progress` is called after every page (the caller decides how often to show it).
 */
export async function collectDecisions(graph: Pick<AccessReviewsApi, 'readInstancesPage' | 'readDecisionsPage'>, reviews: readonly ExportReview[],
  sink: CsvSink, progress: (state: Readonly<ExportProgress>) => Promise<void>): Promise<ExportProgress> {
  const state: ExportProgress = { reviewsTotal: reviews.length, reviewsRead: 0, pagesRead: 0, rows: 0 };
  await sink.write(CSV_BOM + csvLine(EXPORT_COLUMNS));
  for (const review of reviews) {
    let instancesLink: string | undefined;
    do {
      const instances = await graph.readInstancesPage(review.id, instancesLink);
      state.pagesRead += 1;
      await progress(state);
      for (const instance of instances.items) {
        let decisionsLink: string | undefined;
        do {
          const decisions = await graph.readDecisionsPage(review.id, instance.id, decisionsLink);
          await sink.write(decisions.items.map((item) => csvLine(exportRow(review, instance, item))).join(''));
          state.rows += decisions.items.length;
          state.pagesRead += 1;
          await progress(state);
          decisionsLink = decisions.nextLink;
        } while (decisionsLink !== undefined);
      }
      instancesLink = instances.nextLink;
    } while (instancesLink !== undefined);
    state.reviewsRead += 1;
    await progress(state);
  }
  return state;
}
