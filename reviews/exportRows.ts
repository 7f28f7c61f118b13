/**
 * One CSV row per access review decision item (`export`): the review, the instance and its dates, the principal,
 * the decision and who made it, the recommendation and what was applied. Pure: the caller reads Graph page by page.
 */

/** The fields of Graph's objects a row is made of (tolerant of Graph's optional and null fields). */
interface Identity { readonly id?: string | null; readonly displayName?: string | null; readonly userPrincipalName?: string | null; readonly type?: string | null }
export interface ExportReview { readonly id: string; readonly displayName?: string | null }
export interface ExportInstance { readonly id: string; readonly startDateTime?: string | null; readonly endDateTime?: string | null }
export interface ExportDecision {
  readonly id: string;
  readonly decision?: string | null;
  readonly justification?: string | null;
  readonly recommendation?: string | null;
  readonly applyResult?: string | null;
  readonly reviewedDateTime?: string | null;
  readonly appliedDateTime?: string | null;
  readonly reviewedBy?: Identity | null;
  readonly appliedBy?: Identity | null;
  readonly principal?: (Identity & { readonly '@odata.type'?: string | null }) | null;
}

export const EXPORT_COLUMNS = [
  'Review', 'Review id', 'Instance id', 'Instance start', 'Instance end', 'Principal', 'Principal id', 'Principal type',
  'Decision', 'Justification', 'Reviewer', 'Reviewed at', 'Recommendation', 'Applied result', 'Applied by', 'Applied at',
] as const;

/** Who the service names when it decided or applied by itself (product spec: "decided automatically by Microsoft Entra"). */
export const AUTOMATIC = 'Microsoft Entra (automatic)';
const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const SERVICE_NAME = 'aad access reviews';

/** Graph's "never" for a date ("0001-01-01T00:00:00Z") and an empty one are left blank. */
const when = (value: string | null | undefined): string => (value === null || value === undefined || value.startsWith('0001-01-01') ? '' : value);

/** A reviewer or applier in words: blank when nobody acted, the automatic marker for the service itself. */
function actor(identity: Identity | null | undefined, acted: boolean): string {
  const name = identity?.displayName?.trim() ?? '';
  const id = identity?.id?.trim() ?? '';
  if (name.toLowerCase() === SERVICE_NAME) return AUTOMATIC;
  if (id === ZERO_ID || id === '') return acted && id === ZERO_ID ? AUTOMATIC : name;
  return name || identity?.userPrincipalName?.trim() || id;
}

/** 'user', 'group', 'servicePrincipal'…: the principal's `type`, else its `@odata.type` without the namespace. */
function principalType(principal: ExportDecision['principal']): string {
  if (principal?.type) return principal.type;
  return (principal?.['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
}

/** The cells of one decision item's row, in {@link EXPORT_COLUMNS} order (not yet CSV-encoded). */
export function exportRow(review: ExportReview, instance: ExportInstance, item: ExportDecision): string[] {
  const decided = (item.decision ?? '') !== '' && item.decision?.toLowerCase() !== 'notreviewed';
  const applied = (item.applyResult ?? '') !== '' && !['new', 'notapplied'].includes((item.applyResult ?? '').toLowerCase());
  return [
    review.displayName ?? '', review.id, instance.id, when(instance.startDateTime), when(instance.endDateTime),
    item.principal?.displayName ?? item.principal?.userPrincipalName ?? '', item.principal?.id ?? '', principalType(item.principal),
    item.decision ?? '', item.justification ?? '', actor(item.reviewedBy, decided), when(item.reviewedDateTime),
    item.recommendation ?? '', item.applyResult ?? '', actor(item.appliedBy, applied), when(item.appliedDateTime),
  ];
}
