/**
 * The status vocabulary of access reviews as Graph writes it. The resource pages (accessreviewscheduledefinition,
 * accessreviewinstance) list Initializing, NotStarted, Starting, InProgress, Completing, Completed, AutoReviewing and
 * AutoReviewed; Microsoft's examples add Applying (a definition while results are applied, accessreviewscheduledefinition-get)
 * and Applied (an instance whose decisions were applied, accessreviewinstance-filterbycurrentuser; the privileged roles
 * tutorial: "After the decisions have been applied, the status of the access review instance will be Applied").
 *
 * The emulator passes an instance through them in this order; the transitional ones are held for a while when the
 * faults set a latency (see Lifecycle), and skipped at once otherwise.
 */

/** When an instance starts: set up, then open for reviewers. */
export const START_CHAIN = ['Initializing', 'Starting', 'InProgress'] as const;

/** When an instance ends (its end time, or stop): default decisions, then (auto-apply) the results applied. */
export function endChain(settings: { defaultDecisionEnabled: boolean; defaultDecision: string; autoApplyDecisionsEnabled: boolean }): string[] {
  const autoReview = settings.defaultDecisionEnabled && settings.defaultDecision !== 'None';
  return ['Completing', ...(autoReview ? ['AutoReviewing', 'AutoReviewed'] : []), 'Completed',
    ...(settings.autoApplyDecisionsEnabled ? APPLY_CHAIN : [])];
}

/** applyDecisions on a completed instance. */
export const APPLY_CHAIN = ['Applying', 'Applied'];

/** Instance statuses a definition shows while any of its instances has them, most telling first. */
const MIRRORED: Array<[instance: string, definition: string]> = [
  ['Applying', 'Applying'], ['InProgress', 'InProgress'], ['Starting', 'Starting'], ['Initializing', 'Initializing'],
  ['AutoReviewing', 'AutoReviewing'], ['AutoReviewed', 'AutoReviewed'], ['Completing', 'Completing'],
];

/**
 * A definition's status from its instances: NotStarted until its first occurrence, then what its instances are doing;
 * between occurrences of a series still running InProgress; Completed once the series has ended.
 */
export function definitionStatus(started: boolean, seriesGoesOn: boolean, instanceStatuses: readonly string[]): string {
  if (!started) return 'NotStarted';
  const mirrored = MIRRORED.find(([instance]) => instanceStatuses.includes(instance));
  if (mirrored) return mirrored[1];
  return seriesGoesOn ? 'InProgress' : 'Completed';
}
