/** `export`'s progress card: sent once when the collection starts and updated in place as pages are read. */
import exportProgressTemplate from './exportProgress.json';
import { clip, expandTemplate } from './template';
import type { AdaptiveCardJson } from './types';

export interface ExportProgressCardData {
  /** e.g. "Collecting decisions…", "Decisions collected". */
  readonly title: string;
  /** The reviews being exported, by name (clipped, "and N more"); shown as a TextRun, never read as markdown. */
  readonly reviewNames: readonly string[];
  readonly reviewsRead: number;
  readonly reviewsTotal: number;
  readonly pagesRead: number;
  readonly rows: number;
  /** A line under the numbers ('' for none): what happens next, or what went wrong. */
  readonly note: string;
}

/** Names the card lists before "and N more" (a card stays far under 28 KB). */
const MAX_NAMES = 10;
const count = (n: number): string => n.toLocaleString('en-US');

export function renderExportProgressCard(data: ExportProgressCardData): AdaptiveCardJson {
  const names = data.reviewNames.slice(0, MAX_NAMES).map((name) => clip(name, 80));
  const more = data.reviewNames.length - names.length;
  return expandTemplate('exportProgress', exportProgressTemplate, {
    title: clip(data.title, 120),
    reviewNames: `${names.join(' · ')}${more > 0 ? ` · and ${more} more` : ''}`,
    reviews: `${count(data.reviewsRead)} of ${count(data.reviewsTotal)}`,
    pages: count(data.pagesRead),
    rows: count(data.rows),
    note: clip(data.note, 400),
  });
}
