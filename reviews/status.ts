/**
 * The status of an access review (definition or instance), in words and by where it belongs. Graph's `status` is a
 * free string (reference 4.1): the resource pages list Initializing, NotStarted, Starting, InProgress, Completing,
 * Completed, AutoReviewing and AutoReviewed; Microsoft's examples also show Applying and Applied. Casing may vary and
 * new values may come, so matching ignores case and an unknown status is kept as it came, never hidden. Pure.
 */

/** Which reviews a list shows (`reviews active|completed|all`). */
export type StatusFilter = 'active' | 'completed' | 'all';

/** Not yet finished, or finished: what `reviews active` and `reviews completed` list. */
type Phase = 'active' | 'finished';

interface KnownStatus {
  words: string;
  phase: Phase;
  /** For ordering candidates: 0 running now, 1 not started yet, 2 finished. */
  rank: 0 | 1 | 2;
}

/** By lower-case status (a Map: a status such as "constructor" must not find Object's own members). */
const KNOWN: ReadonlyMap<string, KnownStatus> = new Map<string, KnownStatus>([
  ['notstarted', { words: 'Not started', phase: 'active', rank: 1 }],
  ['initializing', { words: 'Initializing', phase: 'active', rank: 1 }],
  ['starting', { words: 'Starting', phase: 'active', rank: 0 }],
  ['inprogress', { words: 'In progress', phase: 'active', rank: 0 }],
  ['completing', { words: 'Completing', phase: 'active', rank: 0 }],
  ['autoreviewing', { words: 'Auto-reviewing', phase: 'active', rank: 0 }],
  ['completed', { words: 'Completed', phase: 'finished', rank: 2 }],
  ['autoreviewed', { words: 'Auto-reviewed', phase: 'finished', rank: 2 }],
  ['applying', { words: 'Applying', phase: 'finished', rank: 2 }],
  ['applied', { words: 'Applied', phase: 'finished', rank: 2 }],
]);

/** Every status Graph documents or shows, as Graph spells them. */
export const KNOWN_STATUSES = ['NotStarted', 'Initializing', 'Starting', 'InProgress', 'Completing', 'AutoReviewing',
  'Completed', 'AutoReviewed', 'Applying', 'Applied'] as const;

const known = (status: string | null | undefined): KnownStatus | undefined =>
  typeof status === 'string' ? KNOWN.get(status.trim().toLowerCase()) : undefined;

/** "In progress", "Applied"…; an unknown status as it came (trimmed); none at all: "Unknown". */
export function statusWords(status: string | null | undefined): string {
  const found = known(status);
  if (found) return found.words;
  const text = typeof status === 'string' ? status.trim() : '';
  return text === '' ? 'Unknown' : text;
}

/**
 * Whether a review with this status belongs in the list: `active` = not yet finished (NotStarted, Initializing,
 * Starting, InProgress, Completing, AutoReviewing), `completed` = finished (Completed, AutoReviewed, Applying, Applied).
 * A status the bot does not know is in both, so no list ever hides a review.
 */
export function inReviewsList(filter: StatusFilter, status: string | null | undefined): boolean {
  if (filter === 'all') return true;
  const found = known(status);
  if (!found) return true;
  return filter === 'active' ? found.phase === 'active' : found.phase === 'finished';
}

/** Running now first (0), then not started or unknown (1), then finished (2): the likelier target of a command first. */
export function statusRank(status: string | null | undefined): 0 | 1 | 2 {
  return known(status)?.rank ?? 1;
}
