import type { ListPosition } from '../graph/apis';
import { isListPosition } from '../graph/definitionPages';

/**
 * Where a page of the reviews list starts, carried in a card button's `args` (a replay reads 200 characters):
 * `<filter> page <n> <position>…`, the positions of pages 2..n, oldest first (the oldest are dropped when they do
 * not fit; Previous then goes back to the first page). A position is `<offset>[s<skip>][t<skiptoken>]`. Card data is
 * untrusted: a cursor is parsed strictly, and the bot rebuilds the Graph query around the page token itself.
 */
export interface ListCursor {
  page: number;
  /** Starts of the pages before this one and of this one (the last). */
  positions: ListPosition[];
}

const MAX_ARGS = 200;
const POSITION = /^(\d{1,2})(?:s(\d{1,8}))?(?:t(\S+))?$/;

export function positionText(position: ListPosition): string {
  return `${position.offset}${position.skip === undefined ? '' : `s${position.skip}`}${position.skiptoken === undefined ? '' : `t${position.skiptoken}`}`;
}

/** The cursor in `words` (what follows `page`), or undefined when it is not one the bot could have made. */
export function parseCursor(words: readonly string[]): ListCursor | undefined {
  const [pageText, ...positionTexts] = words;
  if (pageText === undefined || !/^\d{1,6}$/.test(pageText)) return undefined;
  const page = Number(pageText);
  if (page < 2 || positionTexts.length === 0 || positionTexts.length > page - 1) return undefined;
  const positions: ListPosition[] = [];
  for (const text of positionTexts) {
    const match = POSITION.exec(text);
    if (!match) return undefined;
    const position: ListPosition = {
      offset: Number(match[1]), ...(match[2] === undefined ? {} : { skip: Number(match[2]) }), ...(match[3] === undefined ? {} : { skiptoken: match[3] }),
    };
    if (!isListPosition(position)) return undefined;
    positions.push(position);
  }
  return { page, positions };
}

/** `args` that replay `<filter>` at `cursor` (page 1: the filter alone); undefined when even its own position does not fit. */
export function cursorArgs(filter: string, cursor: ListCursor | undefined): string | undefined {
  if (cursor === undefined || cursor.page <= 1 || cursor.positions.length === 0) return filter;
  let positions = cursor.positions;
  const text = (kept: ListPosition[]): string => `${filter} page ${cursor.page} ${kept.map(positionText).join(' ')}`;
  while (text(positions).length > MAX_ARGS && positions.length > 1) positions = positions.slice(1);
  return text(positions).length > MAX_ARGS ? undefined : text(positions);
}

/** The page before `cursor`: the first page when it is page 2 or when the positions before it were dropped. */
export function previousCursor(cursor: ListCursor): { cursor: ListCursor | undefined; first: boolean } {
  if (cursor.page <= 2 || cursor.positions.length <= 1) return { cursor: undefined, first: cursor.page > 2 };
  return { cursor: { page: cursor.page - 1, positions: cursor.positions.slice(0, -1) }, first: false };
}
