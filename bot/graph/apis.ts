import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import type { DefinitionBody } from '../../reviews/definition';
import type { GroupRef, UserRef } from '../../reviews/settings';
import type { ExportDecision, ExportInstance } from '../../reviews/exportRows';
import type { AppError } from '../errors';

/**
 * The Graph calls the bot makes, as interfaces: what the rest of the bot sees instead of the SDK's Client.
 * Answers come back parsed (see answers.ts); a malformed one is AppError('GraphUnavailable'). Built by
 * GraphSeam for a user (their token) or for the app (scheduled work only); tests use in-memory fakes.
 */

/** An access review definition as Graph returns it, checked: it has an id; status strings Graph adds are kept. */
export type ReviewDefinition = AccessReviewScheduleDefinition & { id: string };

/** `active`: not yet finished; `completed`: finished; `all` (the whole status vocabulary: reviews/status.ts). */
export type DefinitionFilter = 'active' | 'completed' | 'all';

/** One page of a Graph list and, when more follow, Graph's opaque `@odata.nextLink` to read on from. */
export interface ListPage<T> {
  items: T[];
  nextLink: string | undefined;
}

/** An instance as `export` reads it (reviews/exportRows.ts). */
export type ExportedInstance = ExportInstance;
/** A decision item as `export` reads it (reviews/exportRows.ts). */
export type ExportedDecision = ExportDecision;

export interface DefinitionPage {
  definitions: ReviewDefinition[];
  /**
   * Set when more definitions (of this filter) may follow: an opaque Graph link to read on from. For `active` and
   * `completed`, which are filtered over the pages read, reading on from it may repeat definitions already returned.
   */
  nextLink: string | undefined;
}

/** The scope of a definition being created, as far as finding it again needs it (its query and type). */
export interface LookupScope {
  '@odata.type'?: string;
  query?: string | null;
}

/** A group as the creation flow needs it: the domain's GroupRef with every flag known. */
export type GroupInfo = Required<GroupRef>;

/** A user as the creation flow names them: the domain's UserRef. */
export type UserInfo = UserRef;

/** Users found by address, and the addresses no user has. */
export interface UsersByEmail {
  users: UserInfo[];
  missing: string[];
}

/** An access review instance (one run of a definition) as Graph returns it, checked: it has an id. */
export interface ReviewInstance {
  id: string;
  status?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  scope?: { query?: string | null } | null;
}

/** The POST actions on an instance the `stop`, `remind`, `apply` and `reset` commands call. */
export type InstanceAction = 'stop' | 'sendReminder' | 'applyDecisions' | 'resetDecisions';

/** A decision item's `decision` (documented `$filter` eq values). */
export type DecisionValue = 'Approve' | 'Deny' | 'NotReviewed' | 'DontKnow';

/**
 * Where a page of the reviews list starts (list, show, decisions): a Graph page, named by the `$skiptoken` or `$skip`
 * of the `@odata.nextLink` that led to it (neither: the first page), and how many of its items came before.
 */
export interface ListPosition {
  skiptoken?: string;
  skip?: number;
  offset: number;
}

/** A user (a contacted reviewer) by id and name. */
export interface NamedIdentity {
  id: string;
  displayName: string;
}

/** What `scanDecisions` reads: these fields (`$select`), of one decision value only when given, at most `maxItems`. */
export interface DecisionScanOptions {
  select: readonly string[];
  decision?: DecisionValue;
  maxItems?: number;
}

/** One page of the reviews list from a ListPosition; `next`: where the following page starts (absent: none, or not carryable). */
export interface DefinitionsFromPage {
  definitions: ReviewDefinition[];
  next: ListPosition | undefined;
  /** More may follow (even when `next` could not be carried). */
  more: boolean;
}

export interface AccessReviewsApi {
  /** One page of definitions (Graph's page size is at most 100). */
  listDefinitions(filter: DefinitionFilter, top?: number, groupId?: string): Promise<DefinitionPage>;
  /**
   * Definitions named exactly `name` among those with this `scope` (to find a create whose answer was lost), read with
   * documented query options only: the scope's `contains` filter where Graph has one, every page followed.
   */
  findDefinitionsByName(name: string, scope?: LookupScope): Promise<ReviewDefinition[]>;
  /** POST a definition (201 → the created definition). Not retried on 5xx: see creation/safeCreate. */
  createDefinition(body: DefinitionBody): Promise<ReviewDefinition>;
  /** One definition by id (404 → AppError NotFound). */
  getDefinition(id: string): Promise<ReviewDefinition>;
  /**
   * Every definition the user can read, page after page (to resolve a typed `<review>` by name), at most `maxPages`
   * pages of 100; `complete` is false when more were left unread.
   */
  allDefinitions(maxPages?: number): Promise<{ definitions: ReviewDefinition[]; complete: boolean }>;
  /** `reviews`: `size` definitions of `filter` from `from` (of one group's reviews when `groupId` is given). */
  definitionsFrom(filter: DefinitionFilter, size: number, groupId: string | undefined, from: ListPosition): Promise<DefinitionsFromPage>;
  /** `reviews`: the first page of instances of each definition, in one `$batch`; unreadable ones are left out. */
  instancesOf(definitionIds: readonly string[]): Promise<Map<string, ReviewInstance[]>>;
  /** `show`: the first page (up to 100) of a definition's runs, and whether more follow (404 → NotFound). */
  instancesPage(definitionId: string): Promise<{ instances: ReviewInstance[]; more: boolean }>;
  /** `show`: the individual reviewers an instance contacted (first 100). */
  contactedReviewers(definitionId: string, instanceId: string): Promise<NamedIdentity[]>;
  /**
   * `show`, `decisions`: every decision item of an instance, `onPage` called with each page in order ($skip pages, 20 to
   * a `$batch`, a few batches at once); `requests`: the `$batch` requests made; `complete` false past `maxItems`.
   */
  scanDecisions(definitionId: string, instanceId: string, options: DecisionScanOptions, onPage: (items: ExportedDecision[]) => void):
  Promise<{ complete: boolean; requests: number }>;
  /**
   * Digests: every decision item of each of `instances`, their pages packed into shared `$batch` requests, `onPage`
   * called per instance in page order; an instance Graph refuses or cannot find is in `failed` (drop its counts),
   * the others complete; `truncated` ones stopped at `maxItems`.
   */
  scanInstances(instances: ReadonlyArray<{ definitionId: string; instanceId: string }>, options: DecisionScanOptions,
    onPage: (index: number, items: ExportedDecision[]) => void): Promise<{ batches: number; failed: Array<{ index: number; error: AppError }>; truncated: number[] }>;
  /** `decisions`: the items of one card page, `top` (≤ 100) from `skip`, of one decision value when given. */
  decisionsAt(definitionId: string, instanceId: string, options: DecisionScanOptions & { skip: number; top: number }): Promise<ExportedDecision[]>;
  /** Every instance (run) of a definition (404 → NotFound): for the current run the admin actions act on. */
  reviewInstances(definitionId: string): Promise<ReviewInstance[]>;
  /** One instance (404 → NotFound). */
  reviewInstance(definitionId: string, instanceId: string): Promise<ReviewInstance>;
  /** Decision items of an instance with `decision` (all without), counted with the documented `$filter`. */
  countInstanceDecisions(definitionId: string, instanceId: string, decision?: DecisionValue): Promise<{ count: number; complete: boolean }>;
  /** POST stop / sendReminder / applyDecisions / resetDecisions (204). Not retried on 5xx: the caller looks. */
  instanceAction(definitionId: string, instanceId: string, action: InstanceAction): Promise<void>;
  /** DELETE the definition with its instances and decisions (204). */
  deleteDefinition(definitionId: string): Promise<void>;
  /** `edit`: PUT the full definition object (204; Graph has no PATCH here). Idempotent, so retried like a read. */
  updateDefinition(definitionId: string, body: Record<string, unknown>): Promise<void>;
  /** `export`: one page (up to 100) of a definition's instances; `link` is the previous page's `nextLink`. */
  readInstancesPage(definitionId: string, link?: string): Promise<ListPage<ExportedInstance>>;
  /** `export`: one page (up to 100) of an instance's decision items; `link` is the previous page's `nextLink`. */
  readDecisionsPage(definitionId: string, instanceId: string, link?: string): Promise<ListPage<ExportedDecision>>;
}

/** The signed-in user's directory roles, as far as Graph names them (DirectoryApi.myDirectoryRoles). */
export interface DirectoryRoles {
  /** Role template ids (lower case) of the directory roles Graph returned with their `roleTemplateId`. */
  roleTemplateIds: string[];
  /** Directory roles Graph returned with "limited information" (no `roleTemplateId`): held, but which is unknown. */
  unnamed: number;
  /** False when memberships were left unread (past the page bound): a role may be among them. */
  complete: boolean;
}

export interface DirectoryApi {
  /** The signed-in user (a cheap call that proves the token works). */
  me(): Promise<UserInfo>;
  /** Display names of groups by lower-case id (one request, at most 15 ids; unknown ids are left out). */
  groupNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** Display names of users by lower-case id (one request, at most 15 ids; unknown ids are left out). */
  userNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** Groups whose display name starts with `text` (an exact match first), at most `top`. */
  searchGroups(text: string, top?: number): Promise<GroupInfo[]>;
  getGroup(id: string): Promise<GroupInfo>;
  /** Users in a group (transitively): all, or guests only. A `$count`, never the member list. */
  countGroupUsers(groupId: string, guestsOnly: boolean): Promise<number>;
  countGroupOwners(groupId: string): Promise<number>;
  /** Whether `userId` is among the group's users (one count request, no paging). */
  isInGroup(groupId: string, userId: string): Promise<boolean>;
  /** Guest accounts of the directory (the upper bound of an all-groups guest review). */
  countGuests(): Promise<number>;
  /** Users by email address or user principal name (at most 15), and the addresses no user has. */
  findUsersByEmail(emails: readonly string[]): Promise<UsersByEmail>;
  /**
   * The signed-in user's directory roles (direct or through a role-assignable group), from `/me/transitiveMemberOf`
   * with their own token, a bounded number of pages; roles Graph does not name are counted, never guessed.
   */
  myDirectoryRoles(): Promise<DirectoryRoles>;
}

/** A decision item as its reviewer sees it on the decision card (`decisions/filterByCurrentUser(on='reviewer')`). */
export interface ReviewerItem {
  id: string;
  decision: string | null;
  justification: string | null;
  recommendation: string | null;
  principal: {
    id: string | null;
    displayName: string | null;
    userPrincipalName: string | null;
    /** "user", "group", "servicePrincipal" (Graph's `type`, else from `@odata.type`). */
    type: string | null;
    /** As Graph sends it: ISO, a locale string ("2/11/2022 5:31:37 PM +00:00"), or "" / null for never. */
    lastUserSignInDateTime: string | null;
  };
  resourceId: string | null;
}

/** Which of the reviewer's items a page shows: all, the undecided ones, those recommended for denial, guests. */
export type ReviewerItemFilter = 'all' | 'undecided' | 'recommendedDeny' | 'guests';

/** One choice to record: the item, the decision and (when given) its justification. */
export interface DecisionChoice {
  /** The decision item's id. */
  itemId: string;
  decision: Exclude<DecisionValue, 'NotReviewed'>;
  justification?: string;
}

/** What recording a set of choices came to: the items recorded, and those Graph refused (with its error). */
export interface RecordOutcome {
  recorded: string[];
  failed: Array<{ itemId: string; error: AppError }>;
  /** HTTP requests sent (a `$batch` counts once). */
  requests: number;
}

/**
 * What a reviewer does with their own delegated token (Graph has no application permission for recording decisions):
 * the three-level `filterByCurrentUser(on='reviewer')` walk, and recording decisions.
 */
export interface ReviewerApi {
  /** Definitions where the caller reviews at least one instance, page after page (at most `maxPages` of 100). */
  myDefinitions(maxPages?: number): Promise<{ definitions: ReviewDefinition[]; complete: boolean }>;
  /** Per definition, the instances the caller reviews (first page of each; 20 definitions to a `$batch`); unreadable ones left out. */
  myInstances(definitionIds: readonly string[]): Promise<Map<string, ReviewInstance[]>>;
  /**
   * Per instance, the caller's items: how many, and how many are still `NotReviewed` (pages of ids and decisions,
   * shared `$batch` requests); an instance Graph refuses or cannot find is left out.
   */
  myItemCounts(instances: ReadonlyArray<{ definitionId: string; instanceId: string }>): Promise<Array<{ total: number; undecided: number } | undefined>>;
  /**
   * One page of the caller's items of an instance: `filter` (undecided and recommendedDeny by Graph's `$filter`, guests by
   * the principal's `#EXT#` user principal name over every item), `size` items from `skip`; `total`: how many match.
   */
  myItems(definitionId: string, instanceId: string, options: { filter: ReviewerItemFilter; skip: number; size: number }):
  Promise<{ items: ReviewerItem[]; total: number }>;
  /** Every one of the caller's items of an instance (fields for bulk choices), page by page; at most `maxItems`. */
  allMyItems(definitionId: string, instanceId: string, maxItems?: number): Promise<ReviewerItem[]>;
  /**
   * Records `choices`, one `PATCH …/decisions/{item}` each (20 to a `$batch`, 3 in flight; inner 429/5xx re-sent after
   * Retry-After: recording the same decision again is harmless). Graph's refusals are per item in `failed`, as is
   * everything when the token may not decide. Not batchRecordDecisions: it selects by principal and answers 204 for a
   * principal that is not the caller's, so a choice that changed nothing could not be told from one that did.
   */
  recordDecisions(definitionId: string, instanceId: string, choices: readonly DecisionChoice[]): Promise<RecordOutcome>;
  /** `acceptRecommendations`: every `NotReviewed` item of the caller with an Approve/Deny recommendation takes it (one request). */
  acceptRecommendations(definitionId: string, instanceId: string): Promise<void>;
}

/** Graph as one identity sees it. */
export interface GraphApis {
  reviews: AccessReviewsApi;
  directory: DirectoryApi;
  /** The reviewer's own walk and decisions (delegated only: with the app's token Graph refuses, Forbidden). */
  reviewer: ReviewerApi;
}
